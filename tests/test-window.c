/* test-window.c: the application shell, driven through its actions
 *
 * Runs under Xvfb with the private, unlocked gnome-keyring of
 * `build-aux/dev test` (TESTING.md). The sandbox accounts' keys really go
 * to that keyring; tests that need it are skipped, and say so, without one.
 * Every test builds a fresh application on a fresh accounts file and a
 * memory GSettings backend, and checks the window and the application are
 * finalized at the end.
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "pd-application.h"
#include "pd-links-page.h"
#include "pd-preferences-window.h"
#include "pd-sandbox-badge.h"
#include "pd-subscriptions-page.h"
#include "pd-terminal-page.h"
#include "pd-transactions-page.h"
#include "pd-wallet-page.h"
#include "pd-welcome-page.h"
#include "pd-window.h"

/* Written out again here, so that a change to the store's names shows. */
static const SecretSchema test_schema = {
  "io.github.paydesk.Paydesk.Account", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const char * const all_pages[] = {
  PD_PAGE_TRANSACTIONS,
  PD_PAGE_NEW_PAYMENT,
  PD_PAGE_PAYMENT_LINKS,
  PD_PAGE_SUBSCRIPTIONS,
  PD_PAGE_WALLET,
};

/* XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME all live under here. */
static char *tmp_root;
static gboolean have_keyring;

typedef struct _Fixture Fixture;
typedef void (*AppTest) (Fixture *f);

struct _Fixture
{
  char           *accounts_path;
  GSettings      *gsettings;
  PdSettings     *settings;
  PdAccountStore *store;
  PdApplication  *app;
  PdWindow       *window;
  GPtrArray      *account_ids;
  AppTest         body;
  gboolean        body_started;
};

/* Helpers ------------------------------------------------------------------- */

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond holds; fails after 20 s. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 20 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (10, keep_waking, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GType
page_type (const char *page)
{
  if (g_str_equal (page, PD_PAGE_TRANSACTIONS))
    return PD_TYPE_TRANSACTIONS_PAGE;
  if (g_str_equal (page, PD_PAGE_NEW_PAYMENT))
    return PD_TYPE_TERMINAL_PAGE;
  if (g_str_equal (page, PD_PAGE_PAYMENT_LINKS))
    return PD_TYPE_LINKS_PAGE;
  if (g_str_equal (page, PD_PAGE_SUBSCRIPTIONS))
    return PD_TYPE_SUBSCRIPTIONS_PAGE;
  return PD_TYPE_WALLET_PAGE;
}

static gboolean
is_showing (PdWindow *window,
            GType     type)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (window), type, NULL);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

/* The sidebar's row for @page, or NULL when the sidebar does not list it. */
static GtkWidget *
sidebar_row (PdWindow   *window,
             const char *page)
{
  return find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, page);
}

static PdAccount *
find_by_gateway (PdAccountStore *store,
                 PdGateway       gateway)
{
  GListModel *accounts = pd_account_store_get_accounts (store);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      if (pd_account_get_gateway (account) == gateway)
        return account;
    }
  return NULL;
}

static guint
n_accounts (Fixture *f)
{
  return g_list_model_get_n_items (pd_account_store_get_accounts (f->store));
}

static char *
lookup_secret (const char *account_id,
               const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *value;

  value = secret_password_lookup_sync (&test_schema, NULL, &error,
                                       "account-id", account_id,
                                       "secret", kind,
                                       NULL);
  g_assert_no_error (error);
  return value;
}

/* Fails if @needle's bytes are in any file under @path. */
static void
assert_not_in_files (const char *path,
                     const char *needle)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_not_in_files (child, needle);
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("A secret was written to %s", child);
    }
  g_dir_close (dir);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, needle) != NULL;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_remove (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static PdWindow *main_window (PdApplication *app);

/* Destroys every window but the main one. */
static void
destroy_other_windows (Fixture *f)
{
  for (;;)
    {
      g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
      g_autoptr(GtkWindow) other = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && other == NULL; i++)
        {
          g_autoptr(GtkWindow) candidate = g_list_model_get_item (toplevels, i);

          if (candidate != GTK_WINDOW (f->window))
            other = g_steal_pointer (&candidate);
        }
      if (other == NULL)
        break;
      gtk_window_destroy (other);
    }
  drain ();
}

/* Fixture ------------------------------------------------------------------- */

static PdWindow *
main_window (PdApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (PD_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
close_main_window (Fixture *f)
{
  PdWindow *window = g_steal_pointer (&f->window);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);
}

static void
remember_accounts (Fixture *f)
{
  GListModel *accounts = pd_account_store_get_accounts (f->store);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      if (!g_ptr_array_find_with_equal_func (f->account_ids, pd_account_get_id (account), g_str_equal, NULL))
        g_ptr_array_add (f->account_ids, g_strdup (pd_account_get_id (account)));
    }
}

static gboolean
run_body_cb (gpointer user_data)
{
  Fixture *f = user_data;

  g_application_hold (G_APPLICATION (f->app));
  f->window = main_window (f->app);
  g_assert_nonnull (f->window);
  WAIT_FOR (pd_application_get_ready (f->app));
  drain ();

  f->body (f);

  remember_accounts (f);
  destroy_other_windows (f);
  if (f->window != NULL)
    close_main_window (f);
  g_application_release (G_APPLICATION (f->app));
  g_application_quit (G_APPLICATION (f->app));
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              Fixture      *f)
{
  if (f->body_started)
    return;
  f->body_started = TRUE;
  g_idle_add (run_body_cb, f);
}

/* Runs @body in a fresh application, the way Paydesk runs: inside
 * g_application_run(), which is also what lets GtkApplication go. */
static void
run_app (Fixture *f,
         AppTest  body)
{
  char *argv[] = { (char *) "test-window", NULL };

  f->store = pd_account_store_new (f->accounts_path);
  f->app = pd_application_new (f->settings, f->store);
  /* Beside a running Paydesk (the AT-SPI test), not instead of it. */
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_signal_connect_after (f->app, "activate", G_CALLBACK (activated_cb), f);
  f->body = body;
  f->body_started = FALSE;

  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), 1, argv), ==, EXIT_SUCCESS);
  g_assert_true (f->body_started);

  g_clear_object (&f->store);
  drain ();
  g_assert_finalize_object (g_steal_pointer (&f->app));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *name = g_strdup_printf ("accounts-%u.ini", g_random_int ());

  f->accounts_path = g_build_filename (tmp_root, "config", "paydesk", name, NULL);
  f->gsettings = g_settings_new_with_backend (PD_SETTINGS_SCHEMA_ID, backend);
  f->settings = pd_settings_new (f->gsettings);
  f->account_ids = g_ptr_array_new_with_free_func (g_free);
}

/* The sandbox accounts' keys are taken out of the keyring again. */
static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; have_keyring && i < f->account_ids->len; i++)
    secret_password_clear_sync (&test_schema, NULL, NULL,
                                "account-id", g_ptr_array_index (f->account_ids, i),
                                NULL);
  g_clear_pointer (&f->account_ids, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&f->settings));
  g_clear_object (&f->gsettings);
  g_clear_pointer (&f->accounts_path, g_free);
}

static void
run_test (Fixture       *f,
          gconstpointer  body)
{
  run_app (f, (AppTest) body);
}

static gboolean
skip_without_keyring (void)
{
  if (have_keyring)
    return FALSE;
  g_test_skip ("needs an unlocked keyring (run through build-aux/dev test)");
  return TRUE;
}

static void
explore (Fixture *f)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "explore-sandbox"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "explore-sandbox", NULL);
  WAIT_FOR (n_accounts (f) == 2 && pd_window_get_account (f->window) != NULL &&
            g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "explore-sandbox"));
  drain ();
}

static void
select_account (Fixture   *f,
                PdAccount *account)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.select-account",
                                             "s", pd_account_get_id (account)));
  g_assert_cmpstr (pd_account_get_id (pd_window_get_account (f->window)), ==, pd_account_get_id (account));
}

/* Tests ----------------------------------------------------------------------- */

static void
test_first_run (Fixture *f)
{
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_cmpuint (n_accounts (f), ==, 0);
  g_assert_null (pd_window_get_account (f->window));
  WAIT_FOR (is_showing (f->window, PD_TYPE_WELCOME_PAGE));
  g_assert_false (is_showing (f->window, PD_TYPE_TRANSACTIONS_PAGE));

  /* No account, no page. */
  for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
    g_assert_false (pd_window_page_is_offered (f->window, all_pages[i]));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", PD_PAGE_WALLET);
  g_assert_false (is_showing (f->window, PD_TYPE_WALLET_PAGE));
  WAIT_FOR (is_showing (f->window, PD_TYPE_WELCOME_PAGE));

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "explore-sandbox"));
  g_assert_null (pd_application_get_sandbox (f->app));
}

static void
test_explore_sandbox (Fixture *f)
{
  static const char * const pesogate_currencies[] = { "USD", "EUR", "KES", "MZN", NULL };
  static const char * const paysgator_currencies[] = { "MZN", NULL };
  g_autofree char *pesogate_url = NULL;
  g_autofree char *paysgator_url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *paysgator_key = NULL;
  g_autofree char *paysgator_secret = NULL;
  PdAccount *pesogate;
  PdAccount *paysgator;
  PdSandbox *sandbox;

  if (skip_without_keyring ())
    return;

  explore (f);

  sandbox = pd_application_get_sandbox (f->app);
  g_assert_nonnull (sandbox);
  pesogate_url = pd_sandbox_dup_pesogate_url (sandbox);
  paysgator_url = pd_sandbox_dup_paysgator_url (sandbox);

  pesogate = find_by_gateway (f->store, PD_GATEWAY_PESOGATE);
  paysgator = find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR);
  g_assert_nonnull (pesogate);
  g_assert_nonnull (paysgator);

  g_assert_true (pd_account_get_sandbox (pesogate));
  g_assert_cmpstr (pd_account_get_base_url (pesogate), ==, pesogate_url);
  g_assert_true (pd_account_has_provider (pesogate, PD_ACCOUNT_PROVIDER_CYBERSOURCE));
  g_assert_true (pd_account_has_provider (pesogate, PD_ACCOUNT_PROVIDER_MPGS));
  g_assert_true (g_strv_equal (pd_account_get_currencies (pesogate), pesogate_currencies));

  g_assert_true (pd_account_get_sandbox (paysgator));
  g_assert_cmpstr (pd_account_get_base_url (paysgator), ==, paysgator_url);
  g_assert_cmpint (pd_account_get_mode (paysgator), ==, PD_MODE_TEST);
  g_assert_true (g_strv_equal (pd_account_get_currencies (paysgator), paysgator_currencies));

  /* The first one is shown, with its SANDBOX badge, instead of the welcome page. */
  g_assert_true (pd_window_get_account (f->window) == pesogate);
  /* Mapped on the next frame, which a loaded machine may be slow to draw. */
  WAIT_FOR (is_showing (f->window, PD_TYPE_TRANSACTIONS_PAGE) &&
            is_showing (f->window, PD_TYPE_SANDBOX_BADGE));
  g_assert_false (is_showing (f->window, PD_TYPE_WELCOME_PAGE));

  /* The keys are in the session's real keyring... */
  key = lookup_secret (pd_account_get_id (pesogate), "api-key");
  secret = lookup_secret (pd_account_get_id (pesogate), "api-secret");
  paysgator_key = lookup_secret (pd_account_get_id (paysgator), "api-key");
  paysgator_secret = lookup_secret (pd_account_get_id (paysgator), "api-secret");
  g_assert_cmpstr (key, ==, PD_SANDBOX_PESOGATE_API_KEY);
  g_assert_cmpstr (secret, ==, PD_SANDBOX_PESOGATE_API_SECRET);
  g_assert_cmpstr (paysgator_key, ==, PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_null (paysgator_secret);

  /* ...and nowhere on disk, though the accounts file is. */
  g_assert_true (g_file_test (f->accounts_path, G_FILE_TEST_EXISTS));
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_KEY);
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_SECRET);
  assert_not_in_files (tmp_root, PD_SANDBOX_PAYSGATOR_TEST_KEY);

  /* Exploring again adds nothing. */
  explore (f);
  g_assert_cmpuint (n_accounts (f), ==, 2);
  g_assert_true (pd_application_get_sandbox (f->app) == sandbox);
}

static void
check_pages (Fixture *f)
{
  PdGateway gateway = pd_account_get_gateway (pd_window_get_account (f->window));

  for (guint i = 0; i < G_N_ELEMENTS (all_pages); i++)
    {
      const char *page = all_pages[i];
      gboolean offered = gateway == PD_GATEWAY_PESOGATE
                         ? g_str_equal (page, PD_PAGE_TRANSACTIONS) || g_str_equal (page, PD_PAGE_NEW_PAYMENT)
                         : !g_str_equal (page, PD_PAGE_NEW_PAYMENT);
      GtkWidget *row = sidebar_row (f->window, page);
      g_autofree char *before = g_strdup (pd_window_get_visible_page (f->window));

      g_test_message ("%s: %s", pd_gateway_get_label (gateway), page);
      g_assert_cmpint (pd_window_page_is_offered (f->window, page), ==, offered);
      g_assert_cmpint (pd_window_gateway_offers_page (gateway, page), ==, offered);
      g_assert_cmpint (row != NULL, ==, offered);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", page));
      drain ();
      if (offered)
        {
          g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, page);
          WAIT_FOR (is_showing (f->window, page_type (page)));
          g_assert_true (gtk_widget_get_mapped (row));
          g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
        }
      else
        {
          /* Refused: the page shown before stays. */
          g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, before);
          g_assert_false (is_showing (f->window, page_type (page)));
          WAIT_FOR (is_showing (f->window, page_type (before)));
        }
      /* The SANDBOX bar is on every page. */
      WAIT_FOR (is_showing (f->window, PD_TYPE_SANDBOX_BADGE));
    }
}

static void
test_navigation (Fixture *f)
{
  PdAccount *pesogate;
  PdAccount *paysgator;
  AdwWindowTitle *title;

  if (skip_without_keyring ())
    return;

  explore (f);
  pesogate = find_by_gateway (f->store, PD_GATEWAY_PESOGATE);
  paysgator = find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR);

  check_pages (f);

  /* Switching accounts changes the sidebar; a page the new account has stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", PD_PAGE_TRANSACTIONS));
  select_account (f, paysgator);
  g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, PD_PAGE_TRANSACTIONS);
  g_assert_null (sidebar_row (f->window, PD_PAGE_NEW_PAYMENT));
  g_assert_nonnull (sidebar_row (f->window, PD_PAGE_WALLET));
  check_pages (f);

  /* A page the new account lacks falls back to Transactions. */
  g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, PD_PAGE_WALLET);
  select_account (f, pesogate);
  g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, PD_PAGE_TRANSACTIONS);
  WAIT_FOR (is_showing (f->window, PD_TYPE_TRANSACTIONS_PAGE));
  g_assert_nonnull (sidebar_row (f->window, PD_PAGE_NEW_PAYMENT));
  g_assert_null (sidebar_row (f->window, PD_PAGE_WALLET));

  /* An id that is not an account changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.select-account", "s", "no-such-account"));
  g_assert_true (pd_window_get_account (f->window) == pesogate);

  /* Choosing a row in the sidebar is the same as the action. */
  gtk_widget_activate (sidebar_row (f->window, PD_PAGE_NEW_PAYMENT));
  drain ();
  g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, PD_PAGE_NEW_PAYMENT);

  /* A change to the account shows at once, and keeps the page and its row. */
  pd_account_set_display_name (pesogate, "Corner Shop");
  pd_account_set_base_url (pesogate, "http://127.0.0.1:9/api/v1");
  drain ();
  title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (f->window), ADW_TYPE_WINDOW_TITLE, NULL));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "New Payment");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Corner Shop");
  g_assert_cmpstr (pd_window_get_visible_page (f->window), ==, PD_PAGE_NEW_PAYMENT);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (sidebar_row (f->window, PD_PAGE_NEW_PAYMENT))));
}

static void
remove_through_preferences (Fixture    *f,
                            PdAccount  *account,
                            const char *response)
{
  g_autofree char *id = g_strdup (pd_account_get_id (account));
  GtkWindow *preferences;
  GtkWindow *dialog;
  guint before = n_accounts (f);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  drain ();
  preferences = find_toplevel (PD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "account.remove", "s", id));
  drain ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == preferences);
  /* What a click on the response's button does. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);

  if (g_str_equal (response, "remove"))
    WAIT_FOR (n_accounts (f) == before - 1);
  drain ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static void
test_remove_accounts (Fixture *f)
{
  g_autofree char *pesogate_id = NULL;
  g_autofree char *paysgator_id = NULL;
  g_autofree char *kept_key = NULL;
  char *gone;

  if (skip_without_keyring ())
    return;

  explore (f);
  pesogate_id = g_strdup (pd_account_get_id (find_by_gateway (f->store, PD_GATEWAY_PESOGATE)));
  paysgator_id = g_strdup (pd_account_get_id (find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR)));

  /* Cancel keeps everything. */
  remove_through_preferences (f, find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR), "cancel");
  g_assert_cmpuint (n_accounts (f), ==, 2);
  kept_key = lookup_secret (paysgator_id, "api-key");
  g_assert_cmpstr (kept_key, ==, PD_SANDBOX_PAYSGATOR_TEST_KEY);

  /* Removing the shown account shows the other one. */
  select_account (f, find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR));
  remove_through_preferences (f, find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR), "remove");
  g_assert_null (pd_account_store_find (f->store, paysgator_id));
  gone = lookup_secret (paysgator_id, "api-key");
  g_assert_null (gone);
  g_assert_cmpstr (pd_account_get_id (pd_window_get_account (f->window)), ==, pesogate_id);
  g_clear_pointer (&kept_key, g_free);
  kept_key = lookup_secret (pesogate_id, "api-secret");
  g_assert_cmpstr (kept_key, ==, PD_SANDBOX_PESOGATE_API_SECRET);

  /* Removing the last one brings the welcome page back. */
  remove_through_preferences (f, find_by_gateway (f->store, PD_GATEWAY_PESOGATE), "remove");
  g_assert_cmpuint (n_accounts (f), ==, 0);
  gone = lookup_secret (pesogate_id, "api-key");
  g_assert_null (gone);
  gone = lookup_secret (pesogate_id, "api-secret");
  g_assert_null (gone);
  g_assert_null (pd_window_get_account (f->window));
  WAIT_FOR (is_showing (f->window, PD_TYPE_WELCOME_PAGE));
}

static void
test_settings_saved (Fixture *f)
{
  int width;
  int height;
  PdAccount *paysgator;

  if (skip_without_keyring ())
    return;

  /* Restored: the schema's default size. */
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 720);

  explore (f);
  paysgator = find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR);
  select_account (f, paysgator);
  g_assert_cmpstr (g_settings_get_string (f->gsettings, "last-account"), ==, pd_account_get_id (paysgator));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 560);
  g_object_ref (f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  drain ();
  g_assert_null (main_window (f->app));
  g_assert_finalize_object (g_steal_pointer (&f->window));
  g_assert_cmpint (g_settings_get_int (f->gsettings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (f->gsettings, "window-height"), ==, 560);
  g_assert_false (g_settings_get_boolean (f->gsettings, "window-maximized"));

  /* A new window comes back at that size, on the last account. */
  g_application_activate (G_APPLICATION (f->app));
  f->window = main_window (f->app);
  drain ();
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 560);
  g_assert_true (pd_window_get_account (f->window) == paysgator);

  /* A saved account that no longer exists is not an error. */
  g_settings_set_string (f->gsettings, "last-account", "gone");
  close_main_window (f);
  g_application_activate (G_APPLICATION (f->app));
  f->window = main_window (f->app);
  drain ();
  g_assert_nonnull (pd_window_get_account (f->window));
}

static void
explore_and_quit (Fixture *f)
{
  if (!skip_without_keyring ())
    explore (f);
}

static void
check_sandbox_followed (Fixture *f)
{
  g_autofree char *pesogate_url = NULL;
  g_autofree char *paysgator_url = NULL;

  g_assert_nonnull (pd_application_get_sandbox (f->app));
  pesogate_url = pd_sandbox_dup_pesogate_url (pd_application_get_sandbox (f->app));
  paysgator_url = pd_sandbox_dup_paysgator_url (pd_application_get_sandbox (f->app));

  /* In memory as soon as the window is ready, on disk soon after. */
  g_assert_cmpstr (pd_account_get_base_url (find_by_gateway (f->store, PD_GATEWAY_PESOGATE)), ==, pesogate_url);
  g_assert_cmpstr (pd_account_get_base_url (find_by_gateway (f->store, PD_GATEWAY_PAYSGATOR)), ==, paysgator_url);
  g_assert_nonnull (pd_window_get_account (f->window));
  WAIT_FOR (is_showing (f->window, PD_TYPE_SANDBOX_BADGE));
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (sidebar_row (f->window, pd_window_get_visible_page (f->window)))));
  WAIT_FOR (file_contains (f->accounts_path, pesogate_url) && file_contains (f->accounts_path, paysgator_url));
}

/* The sandbox's port is new at every start: the sandbox accounts follow it. */
static void
test_sandbox_restart (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  if (skip_without_keyring ())
    return;

  run_app (f, explore_and_quit);

  /* As if the last run's sandbox had been on another port. */
  g_assert_true (g_key_file_load_from_file (key_file, f->accounts_path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_assert_no_error (error);
  groups = g_key_file_get_groups (key_file, NULL);
  g_assert_cmpuint (g_strv_length (groups), ==, 2);
  for (guint i = 0; groups[i] != NULL; i++)
    g_key_file_set_string (key_file, groups[i], "base-url", "http://127.0.0.1:9/api/v1");
  g_assert_true (g_key_file_save_to_file (key_file, f->accounts_path, &error));
  g_assert_no_error (error);

  run_app (f, check_sandbox_followed);
}

static void
test_error_details (Fixture *f)
{
  GtkWindow *dialog;
  GtkWidget *detail;

  pd_window_show_toast (f->window, "Saved");
  pd_window_show_error (f->window, "The payment could not be checked", "HTTP 502 from gateway.example");
  pd_window_show_error (f->window, "No detail here", NULL);
  drain ();

  /* What the toast's Details button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-error-details", "(ss)",
                                             "The payment could not be checked", "HTTP 502 from gateway.example"));
  drain ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "The payment could not be checked");
  detail = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (detail)), ==, "HTTP 502 from gateway.example");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_destroy (dialog);
  drain ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static void
test_app_windows (Fixture *f)
{
  /* About, Keyboard Shortcuts and Preferences open; Preferences only once. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "shortcuts", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  drain ();
  g_assert_nonnull (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  g_assert_nonnull (find_toplevel (PD_TYPE_PREFERENCES_WINDOW));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW))), ==,
                   PACKAGE_VERSION);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (f->app))), >=, 2);

  /* Every app action has a keyboard path. */
  {
    static const char * const actions[] = { "app.quit", "app.preferences", "app.shortcuts" };

    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), actions[i]);

        g_assert_cmpuint (g_strv_length (accels), >, 0);
      }
  }

  /* Quit closes every window. */
  g_object_ref (f->window);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  drain ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_finalize_object (g_steal_pointer (&f->window));
}

static void
test_bad_page_option (void)
{
  g_autoptr(PdApplication) app = NULL;
  char *argv[] = { (char *) "paydesk", (char *) "--page", (char *) "refunds", NULL };
  g_autofree char *path = g_build_filename (tmp_root, "config", "paydesk", "bad-page.ini", NULL);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);

  app = pd_application_new (NULL, store);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv), ==, EXIT_FAILURE);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
test_settings_object (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (PD_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(PdSettings) settings = pd_settings_new (gsettings);

  g_assert_true (pd_settings_get_settings (settings) == gsettings);
  g_assert_cmpint (pd_settings_get_window_width (settings), ==, 1100);
  g_assert_cmpuint (pd_settings_get_refresh_interval (settings), ==, 60);
  g_assert_cmpuint (pd_settings_get_card_idle_timeout (settings), ==, 120);

  /* Both ways. */
  pd_settings_set_window_height (settings, 640);
  g_assert_cmpint (g_settings_get_int (gsettings, "window-height"), ==, 640);
  g_settings_set_string (gsettings, "last-account", "abc");
  g_assert_cmpstr (pd_settings_get_last_account (settings), ==, "abc");
  g_settings_set_uint (gsettings, "refresh-interval", 300);
  g_assert_cmpuint (pd_settings_get_refresh_interval (settings), ==, 300);

  /* Out of the schema's range: kept within it, never refused by GSettings. */
  pd_settings_set_refresh_interval (settings, 1);
  g_assert_cmpuint (g_settings_get_uint (gsettings, "refresh-interval"), ==, 15);
  pd_settings_set_card_idle_timeout (settings, 100000);
  g_assert_cmpuint (g_settings_get_uint (gsettings, "card-idle-timeout"), ==, 900);
  pd_settings_set_last_account (settings, NULL);
  g_assert_cmpstr (g_settings_get_string (gsettings, "last-account"), ==, "");
}

/* main ----------------------------------------------------------------------- */

static gboolean
keyring_is_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

#define ADD_TEST(path, body) \
  g_test_add ((path), Fixture, (gconstpointer) (body), fixture_set_up, run_test, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  static const char * const xdg_dirs[][2] = {
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything reads them: nothing may land in the real home. */
  tmp_root = g_dir_make_tmp ("paydesk-window-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, xdg_dirs[i][1], NULL);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  gtk_test_init (&argc, &argv, NULL);
  /* Stack and leaflet transitions end at once, so what is shown is shown now. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  have_keyring = keyring_is_running ();

  g_test_add_func ("/pd/settings/bound", test_settings_object);
  g_test_add_func ("/pd/application/bad-page-option", test_bad_page_option);
  ADD_TEST ("/pd/window/first-run", test_first_run);
  ADD_TEST ("/pd/window/explore-sandbox", test_explore_sandbox);
  ADD_TEST ("/pd/window/navigation", test_navigation);
  ADD_TEST ("/pd/window/remove-accounts", test_remove_accounts);
  ADD_TEST ("/pd/window/settings-saved", test_settings_saved);
  g_test_add ("/pd/window/sandbox-restart", Fixture, NULL, fixture_set_up, test_sandbox_restart, fixture_tear_down);
  ADD_TEST ("/pd/window/error-details", test_error_details);
  ADD_TEST ("/pd/window/app-windows", test_app_windows);

  status = g_test_run ();
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
