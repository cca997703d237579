/* test-preferences.c: the account form in Preferences, driven through its widgets
 *
 * Runs under Xvfb with the private, unlocked gnome-keyring of
 * `build-aux/dev test` (TESTING.md), against the in-process sandbox. Fields
 * are filled as a person would fill them (text in the rows, rows toggled),
 * and the buttons' actions are what a click runs. Tests that save need the
 * keyring and are skipped, saying so, without one; one case runs in a
 * subprocess whose session bus does not exist, so no keyring can be reached.
 *
 * With PD_TEST_SCREENSHOT_DIR set, pictures of the form are saved there.
 */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "pd-account-editor.h"
#include "pd-application.h"
#include "pd-error.h"
#include "pd-preferences-window.h"
#include "pd-settings.h"
#include "pd-test-sandbox.h"
#include "pd-window.h"

#define KEYRING_UNAVAILABLE_PATH "/pd/preferences/keyring-unavailable"
#define KEYRING_LOCKED_PATH      "/pd/preferences/keyring-locked"
#define PRIVATE_KEYRING_PASSWORD "paydesk-test-password"

/* Written out again here, so that a change to the store's names shows. */
static const SecretSchema test_schema = {
  "io.github.paydesk.Paydesk.Account", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME all live under here. */
static char *tmp_root;
static gboolean have_keyring;
static PdTestSandbox *sandbox;
/* The keyring-locked subprocess's own bus and gnome-keyring. */
static GTestDBus *private_bus;
static GSubprocess *private_keyring;

typedef struct
{
  char                *accounts_path;
  PdAccountStore      *store;
  PdPreferencesWindow *window;
  GPtrArray           *account_ids;
} Fixture;

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

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets frames be drawn. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  WAIT_FOR (done);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
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

static void
destroy_toplevels_but (GtkWindow *keep)
{
  for (;;)
    {
      g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());
      g_autoptr(GtkWindow) other = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && other == NULL; i++)
        {
          g_autoptr(GtkWindow) candidate = g_list_model_get_item (toplevels, i);

          if (candidate != keep)
            other = g_steal_pointer (&candidate);
        }
      if (other == NULL)
        break;
      gtk_window_destroy (other);
    }
  drain ();
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

/* Whether any item of the schema holds @value, whatever its account. */
static gboolean
keyring_holds (const char *value)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  gboolean found = FALSE;

  items = secret_password_search_sync (&test_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                       NULL, &error, NULL);
  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) secret = secret_retrievable_retrieve_secret_sync (l->data, NULL, &error);

      g_assert_no_error (error);
      if (secret != NULL && g_strcmp0 (secret_value_get_text (secret), value) == 0)
        found = TRUE;
    }
  g_list_free_full (items, g_object_unref);
  return found;
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

static gboolean
skip_without_keyring (void)
{
  if (have_keyring)
    return FALSE;
  g_test_skip ("needs an unlocked keyring (run through build-aux/dev test)");
  return TRUE;
}

static void
save_png (GtkWidget  *window,
          const char *dir,
          const char *name)
{
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* Saves PNGs of @widget's window, and of a message dialog on top of it,
 * when PD_TEST_SCREENSHOT_DIR is set. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("PD_TEST_SCREENSHOT_DIR");
  GtkWidget *window;
  GtkWindow *dialog;

  if (dir == NULL)
    return;
  window = GTK_WIDGET (gtk_widget_get_native (widget));
  /* Tall enough to show the whole form. */
  if (PD_IS_PREFERENCES_WINDOW (window))
    gtk_window_set_default_size (GTK_WINDOW (window), 640, 790);
  run_for (300);
  save_png (window, dir, name);

  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  if (dialog != NULL)
    {
      g_autofree char *dialog_name = g_strconcat (name, "-dialog", NULL);

      save_png (GTK_WIDGET (dialog), dir, dialog_name);
    }
}

/* The form ------------------------------------------------------------------ */

static gpointer
child (PdAccountEditor *editor,
       const char      *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (editor), PD_TYPE_ACCOUNT_EDITOR, name);

  g_assert_nonnull (object);
  return object;
}

static void
set_text (PdAccountEditor *editor,
          const char      *row,
          const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, row)), text);
}

static const char *
get_text (PdAccountEditor *editor,
          const char      *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (editor, row)));
}

static void
choose_gateway (PdAccountEditor *editor,
                PdGateway        gateway)
{
  adw_combo_row_set_selected (child (editor, "gateway_row"), gateway);
}

/* What a click on the row does: toggles its check button. */
static void
toggle_row (PdAccountEditor *editor,
            const char      *row)
{
  adw_action_row_activate (child (editor, row));
}

static gboolean
can_save (PdAccountEditor *editor)
{
  return gtk_widget_get_sensitive (child (editor, "save_button"));
}

static gboolean
can_test (PdAccountEditor *editor)
{
  return gtk_widget_get_sensitive (child (editor, "test_button"));
}

/* The problem shown under @field's row, or NULL when none is shown. */
static const char *
problem_shown (PdAccountEditor *editor,
               const char      *message_row)
{
  GtkWidget *row = child (editor, message_row);

  if (!gtk_widget_get_visible (row))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
test_status (PdAccountEditor *editor)
{
  return adw_preferences_row_get_title (child (editor, "test_row"));
}

static const char *
mode_shown (PdAccountEditor *editor)
{
  return gtk_label_get_label (child (editor, "mode_label"));
}

static void
click_test (PdAccountEditor *editor)
{
  g_assert_true (can_test (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test-connection", NULL));
  /* While it runs, neither test nor save can start again. */
  g_assert_true (pd_account_editor_get_busy (editor));
  g_assert_false (can_save (editor));
  g_assert_false (can_test (editor));
  g_assert_true (gtk_widget_get_visible (child (editor, "test_spinner")));
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  g_assert_false (gtk_widget_get_visible (child (editor, "test_spinner")));
}

static PdAccountEditor *
shown_editor (Fixture *f)
{
  GtkWidget *editor = find_widget (GTK_WIDGET (f->window), PD_TYPE_ACCOUNT_EDITOR);

  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_mapped (editor));
  return PD_ACCOUNT_EDITOR (editor);
}

static gboolean
editor_shown (Fixture *f)
{
  GtkWidget *editor = find_widget (GTK_WIDGET (f->window), PD_TYPE_ACCOUNT_EDITOR);

  return editor != NULL && gtk_widget_get_mapped (editor);
}

static PdAccountEditor *
open_add (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "account.add", NULL));
  drain ();
  return shown_editor (f);
}

static PdAccountEditor *
open_edit (Fixture    *f,
           const char *account_id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "account.edit", "s", account_id));
  drain ();
  return shown_editor (f);
}

static void
fill_pesogate (PdAccountEditor *editor,
               const char      *name,
               const char      *key,
               const char      *secret)
{
  choose_gateway (editor, PD_GATEWAY_PESOGATE);
  set_text (editor, "name_row", name);
  set_text (editor, "base_url_row", pd_test_sandbox_pesogate_url (sandbox));
  set_text (editor, "api_key_row", key);
  set_text (editor, "api_secret_row", secret);
}

static void
fill_paysgator (PdAccountEditor *editor,
                const char      *name,
                const char      *key)
{
  choose_gateway (editor, PD_GATEWAY_PAYSGATOR);
  set_text (editor, "name_row", name);
  set_text (editor, "base_url_row", pd_test_sandbox_paysgator_url (sandbox));
  set_text (editor, "api_key_row", key);
}

static guint
n_accounts (Fixture *f)
{
  return g_list_model_get_n_items (pd_account_store_get_accounts (f->store));
}

static PdAccount *
account_at (Fixture *f,
            guint    position)
{
  g_autoptr(PdAccount) account = g_list_model_get_item (pd_account_store_get_accounts (f->store), position);

  return account;
}

static void
remember (Fixture   *f,
          PdAccount *account)
{
  g_ptr_array_add (f->account_ids, g_strdup (pd_account_get_id (account)));
}

/* Saves through the Save button and waits for the page to close. */
static PdAccount *
save_and_wait (Fixture         *f,
               PdAccountEditor *editor,
               guint            expected_accounts)
{
  PdAccount *account;

  g_assert_true (can_save (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (pd_account_editor_get_busy (editor));
  g_assert_false (can_save (editor));
  g_assert_true (gtk_widget_get_visible (child (editor, "save_spinner")));
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  drain ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (n_accounts (f), ==, expected_accounts);
  /* Saved: the page closes and the typed keys are gone from the entries. */
  g_assert_false (editor_shown (f));
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, "");
  g_assert_cmpstr (get_text (editor, "api_secret_row"), ==, "");
  account = pd_account_editor_get_account (editor);
  g_assert_nonnull (account);
  return account;
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  WAIT_FOR (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static void
close_dialog (AdwMessageDialog *dialog,
              const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  drain ();
}

/* Fixture ------------------------------------------------------------------- */

static void
store_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = pd_account_store_load_finish (PD_ACCOUNT_STORE (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *name = g_strdup_printf ("accounts-%u.ini", g_random_int ());
  gboolean loaded = FALSE;

  f->accounts_path = g_build_filename (tmp_root, "config", "paydesk", name, NULL);
  f->account_ids = g_ptr_array_new_with_free_func (g_free);
  f->store = pd_account_store_new (f->accounts_path);
  pd_account_store_load_async (f->store, NULL, store_loaded_cb, &loaded);
  WAIT_FOR (loaded);

  f->window = pd_preferences_window_new (f->store);
  gtk_window_present (GTK_WINDOW (f->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (g_steal_pointer (&f->window));

  destroy_toplevels_but (GTK_WINDOW (window));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);

  for (guint i = 0; have_keyring && i < f->account_ids->len; i++)
    secret_password_clear_sync (&test_schema, NULL, NULL,
                                "account-id", g_ptr_array_index (f->account_ids, i),
                                NULL);
  g_clear_pointer (&f->account_ids, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_pointer (&f->accounts_path, g_free);
}

/* Tests: the form on its own -------------------------------------------------------- */

static void
test_form_defaults (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const entries[] = {
    "name_row", "base_url_row", "currencies_row", "api_key_row", "api_secret_row",
    "return_url_row", "cancel_url_row",
  };
  PdAccountEditor *editor = open_add (f);
  GtkWidget *focus;

  /* Opened with the focus in the first field. */
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, child (editor, "name_row")));

  g_assert_null (pd_account_editor_get_account (editor));
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "gateway_row")), ==, PD_GATEWAY_PESOGATE);
  g_assert_cmpstr (get_text (editor, "base_url_row"), ==, "https://gateway.pesogate.com/api/v1");
  g_assert_cmpstr (get_text (editor, "return_url_row"), ==, PD_ACCOUNT_DEFAULT_RETURN_URL);
  g_assert_cmpstr (get_text (editor, "cancel_url_row"), ==, PD_ACCOUNT_DEFAULT_CANCEL_URL);
  g_assert_true (gtk_check_button_get_active (child (editor, "cybersource_check")));
  g_assert_true (gtk_check_button_get_active (child (editor, "mpgs_check")));
  g_assert_true (gtk_widget_get_visible (child (editor, "api_secret_row")));
  g_assert_true (gtk_widget_get_visible (child (editor, "providers_group")));
  g_assert_false (gtk_widget_get_visible (child (editor, "mode_row")));
  g_assert_true (gtk_widget_get_sensitive (child (editor, "gateway_row")));
  g_assert_cmpstr (test_status (editor), ==, "Not tested yet");

  /* Nothing typed yet: nothing to save or test, and no scolding either. */
  g_assert_false (can_save (editor));
  g_assert_false (can_test (editor));
  g_assert_null (problem_shown (editor, "name_message"));
  g_assert_null (problem_shown (editor, "api_key_message"));
  screenshot (GTK_WIDGET (editor), "form-empty");

  /* Every entry is labelled with its row's title, for screen readers. */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      AdwEntryRow *row = child (editor, entries[i]);
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      g_assert_nonnull (text);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, title);
    }
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (editor, "cybersource_check")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "CyberSource");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (editor, "mpgs_check")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "MPGS");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (child (editor, "api_key_row")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (child (editor, "api_secret_row")));

  /* The base URL follows the gateway while nobody changed it. */
  choose_gateway (editor, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpstr (get_text (editor, "base_url_row"), ==, "https://paysgator.com/api/v1");
  g_assert_false (gtk_widget_get_visible (child (editor, "api_secret_row")));
  g_assert_false (gtk_widget_get_visible (child (editor, "providers_group")));
  g_assert_true (gtk_widget_get_visible (child (editor, "mode_row")));
  choose_gateway (editor, PD_GATEWAY_PESOGATE);
  g_assert_cmpstr (get_text (editor, "base_url_row"), ==, "https://gateway.pesogate.com/api/v1");
  set_text (editor, "base_url_row", "https://eu.pesogate.example/api/v1");
  choose_gateway (editor, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpstr (get_text (editor, "base_url_row"), ==, "https://eu.pesogate.example/api/v1");
  choose_gateway (editor, PD_GATEWAY_PESOGATE);

  /* Enter before the form is complete shows every problem and goes to the first. */
  g_signal_emit_by_name (child (editor, "api_secret_row"), "entry-activated");
  drain ();
  g_assert_cmpstr (problem_shown (editor, "name_message"), ==,
                   "Enter a name for the account, for example the name of your shop.");
  g_assert_cmpstr (problem_shown (editor, "api_key_message"), ==, "Enter the account’s API key.");
  g_assert_nonnull (problem_shown (editor, "api_secret_message"));
  g_assert_null (problem_shown (editor, "base_url_message"));
  g_assert_true (gtk_widget_has_css_class (child (editor, "name_row"), "error"));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, child (editor, "name_row")));
  g_assert_cmpuint (n_accounts (f), ==, 0);
  screenshot (GTK_WIDGET (editor), "form-problems");

  /* Back leaves the page; nothing was saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  drain ();
  g_assert_false (editor_shown (f));
  g_assert_cmpuint (n_accounts (f), ==, 0);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);

  fill_pesogate (editor, "Corner Shop", "pk_live_1234", "sk_live_5678");
  g_assert_true (can_save (editor));
  g_assert_null (problem_shown (editor, "base_url_message"));

  /* Plain http:// would send the keys in clear text: refused, with the core's words. */
  set_text (editor, "base_url_row", "http://example.com/api/v1");
  g_assert_cmpstr (problem_shown (editor, "base_url_message"), ==,
                   "The gateway address uses http://, which would send your API keys unencrypted. Use an https:// address.");
  g_assert_true (gtk_widget_has_css_class (child (editor, "base_url_row"), "error"));
  g_assert_false (can_save (editor));
  screenshot (GTK_WIDGET (editor), "form-http-refused");
  /* Enter does not save it either. */
  g_signal_emit_by_name (child (editor, "api_secret_row"), "entry-activated");
  drain ();
  g_assert_false (pd_account_editor_get_busy (editor));
  g_assert_cmpuint (n_accounts (f), ==, 0);

  /* Loopback is where the sandbox lives: allowed. */
  set_text (editor, "base_url_row", "http://127.0.0.1:8080/api/v1");
  g_assert_null (problem_shown (editor, "base_url_message"));
  g_assert_false (gtk_widget_has_css_class (child (editor, "base_url_row"), "error"));
  g_assert_true (can_save (editor));
  set_text (editor, "base_url_row", "http://localhost/api/v1");
  g_assert_true (can_save (editor));
  set_text (editor, "base_url_row", "gateway dot com");
  g_assert_cmpstr (problem_shown (editor, "base_url_message"), ==,
                   "The gateway address is not a web address. Enter a full address that starts with https://.");
  g_assert_false (can_save (editor));
  set_text (editor, "base_url_row", "");
  g_assert_nonnull (problem_shown (editor, "base_url_message"));
  set_text (editor, "base_url_row", "https://gateway.pesogate.com/api/v1");
  g_assert_true (can_save (editor));

  /* A name of spaces is no name. */
  set_text (editor, "name_row", "   ");
  g_assert_nonnull (problem_shown (editor, "name_message"));
  g_assert_false (can_save (editor));
  set_text (editor, "name_row", "Corner Shop");
  g_assert_null (problem_shown (editor, "name_message"));

  /* Keys typed and erased again are missing. */
  set_text (editor, "api_secret_row", "");
  g_assert_cmpstr (problem_shown (editor, "api_secret_message"), ==,
                   "Enter the API secret too: PesoGate needs both the key and the secret.");
  g_assert_false (can_save (editor));
  set_text (editor, "api_secret_row", "sk_live_5678");
  set_text (editor, "api_key_row", "  ");
  g_assert_nonnull (problem_shown (editor, "api_key_message"));
  g_assert_false (can_save (editor));
  set_text (editor, "api_key_row", "pk_live_1234");
  g_assert_true (can_save (editor));

  /* At least one card provider, toggled through the rows. */
  toggle_row (editor, "cybersource_row");
  g_assert_false (gtk_check_button_get_active (child (editor, "cybersource_check")));
  g_assert_true (can_save (editor));
  toggle_row (editor, "mpgs_row");
  g_assert_cmpstr (problem_shown (editor, "providers_message"), ==,
                   "Choose at least one card provider for PesoGate: CyberSource or MPGS.");
  g_assert_false (can_save (editor));
  toggle_row (editor, "mpgs_row");
  g_assert_null (problem_shown (editor, "providers_message"));
  g_assert_true (can_save (editor));

  /* Currencies are ISO 4217 codes, in any case, separated by commas or spaces. */
  set_text (editor, "currencies_row", "usd, EUR mzn");
  g_assert_null (problem_shown (editor, "currencies_message"));
  g_assert_true (can_save (editor));
  set_text (editor, "currencies_row", "USD, Dollars");
  g_assert_cmpstr (problem_shown (editor, "currencies_message"), ==,
                   "“DOLLARS” is not a currency code. Use three-letter ISO 4217 codes such as MZN, KES or USD.");
  g_assert_false (can_save (editor));
  set_text (editor, "currencies_row", "USD, EUR");

  /* 3-D Secure addresses: full web addresses, or empty for Paydesk's own. */
  set_text (editor, "return_url_row", "not an address");
  g_assert_nonnull (problem_shown (editor, "return_url_message"));
  g_assert_false (can_save (editor));
  if (g_getenv ("PD_TEST_SCREENSHOT_DIR") != NULL)
    {
      GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (find_widget (GTK_WIDGET (editor), GTK_TYPE_SCROLLED_WINDOW));
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

      adw_expander_row_set_expanded (child (editor, "advanced_row"), TRUE);
      run_for (300);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      screenshot (GTK_WIDGET (editor), "form-advanced");
    }
  set_text (editor, "return_url_row", "");
  g_assert_null (problem_shown (editor, "return_url_message"));
  g_assert_true (can_save (editor));
  set_text (editor, "cancel_url_row", "ftp://shop.example/cancel");
  g_assert_nonnull (problem_shown (editor, "cancel_url_message"));
  g_assert_false (can_save (editor));
  set_text (editor, "cancel_url_row", "https://shop.example/cancel");
  g_assert_true (can_save (editor));

  /* PaysGator has no secret and no providers: neither holds it back. */
  set_text (editor, "api_secret_row", "");
  toggle_row (editor, "cybersource_row");
  toggle_row (editor, "mpgs_row");
  g_assert_false (can_save (editor));
  choose_gateway (editor, PD_GATEWAY_PAYSGATOR);
  g_assert_null (problem_shown (editor, "api_secret_message"));
  g_assert_null (problem_shown (editor, "providers_message"));
  g_assert_true (can_save (editor));
}

static void
test_paysgator_mode (Fixture       *f,
                     gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);
  GtkWidget *label = child (editor, "mode_label");

  choose_gateway (editor, PD_GATEWAY_PAYSGATOR);
  g_assert_true (gtk_widget_get_visible (child (editor, "mode_row")));
  g_assert_cmpstr (mode_shown (editor), ==, "");

  /* As the key is typed. */
  set_text (editor, "api_key_row", "test");
  g_assert_cmpstr (mode_shown (editor), ==, "Unknown");
  set_text (editor, "api_key_row", PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_cmpstr (mode_shown (editor), ==, "TEST");
  g_assert_false (gtk_widget_has_css_class (label, "warning"));
  g_assert_false (gtk_widget_get_visible (child (editor, "mode_icon")));

  set_text (editor, "api_key_row", PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_assert_cmpstr (mode_shown (editor), ==, "LIVE");
  g_assert_true (gtk_widget_has_css_class (label, "warning"));
  g_assert_true (gtk_widget_get_visible (child (editor, "mode_icon")));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (editor, "mode_row")), "real money"));
  set_text (editor, "name_row", "Market Stall");
  screenshot (GTK_WIDGET (editor), "form-paysgator-live");
}

static void
test_connection_pesogate (Fixture       *f,
                          gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);

  fill_pesogate (editor, "Corner Shop", PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  pd_test_sandbox_clear_requests (sandbox);
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "Connected: the keys work.");
  g_assert_true (gtk_widget_has_css_class (child (editor, "test_icon"), "success"));
  g_assert_true (can_save (editor));
  screenshot (GTK_WIDGET (editor), "form-pesogate-connected");

  /* One harmless status request, with the form's keys. */
  {
    g_autoptr(JsonArray) requests = pd_test_sandbox_requests (sandbox, PD_SANDBOX_PESOGATE_PREFIX);

    g_assert_cmpuint (json_array_get_length (requests), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "method"), ==, "GET");
  }

  /* Another key: the old result no longer holds. */
  set_text (editor, "api_key_row", "pk_sandbox_wrong");
  g_assert_cmpstr (test_status (editor), ==, "Not tested yet");
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "The gateway refused these keys (401). Check the API key and secret.");
  g_assert_true (gtk_widget_has_css_class (child (editor, "test_icon"), "error"));
  screenshot (GTK_WIDGET (editor), "form-pesogate-refused");

  set_text (editor, "api_key_row", PD_SANDBOX_PESOGATE_API_KEY);
  set_text (editor, "api_secret_row", "sk_sandbox_wrong");
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "The gateway refused these keys (401). Check the API key and secret.");

  /* Testing saves nothing, anywhere. */
  g_assert_cmpuint (n_accounts (f), ==, 0);
  g_assert_false (g_file_test (f->accounts_path, G_FILE_TEST_EXISTS));
  if (have_keyring)
    g_assert_false (keyring_holds (PD_SANDBOX_PESOGATE_API_SECRET));
}

static void
test_connection_paysgator (Fixture       *f,
                           gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);

  fill_paysgator (editor, "Market Stall", PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_cmpstr (mode_shown (editor), ==, "TEST");
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "Connected: the keys work.");

  set_text (editor, "api_key_row", PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_assert_cmpstr (mode_shown (editor), ==, "LIVE");
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "Connected: the keys work.");

  set_text (editor, "api_key_row", "test_not_a_real_key");
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "The gateway refused this key (401). Check the API key.");
  g_assert_cmpuint (n_accounts (f), ==, 0);
}

static void
test_connection_errors (Fixture       *f,
                        gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);
  g_autofree char *closed_port_url = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port;

  fill_pesogate (editor, "Corner Shop", PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);

  /* Refused before anything is sent. */
  set_text (editor, "base_url_row", "http://example.com/api/v1");
  g_assert_false (can_save (editor));
  g_assert_true (can_test (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test-connection", NULL));
  g_assert_false (pd_account_editor_get_busy (editor));
  g_assert_cmpstr (test_status (editor), ==, pd_gateway_error_code_get_message (PD_GATEWAY_ERROR_INSECURE_URL));

  /* Nobody listens: a port that was free a moment ago. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  closed_port_url = g_strdup_printf ("http://127.0.0.1:%u/api/v1", port);
  set_text (editor, "base_url_row", closed_port_url);
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, pd_gateway_error_code_get_message (PD_GATEWAY_ERROR_NETWORK));

  /* The gateway fails: said once, not retried behind the user's back. */
  set_text (editor, "base_url_row", pd_test_sandbox_pesogate_url (sandbox));
  pd_test_sandbox_fault (sandbox, PD_SANDBOX_PESOGATE_PREFIX, "http_500", 1, 0, FALSE);
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, pd_gateway_error_code_get_message (PD_GATEWAY_ERROR_SERVER));
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "Connected: the keys work.");

  /* A change while a test runs: its answer is about the old keys. */
  pd_test_sandbox_fault (sandbox, PD_SANDBOX_PESOGATE_PREFIX, "delay", 1, 500, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test-connection", NULL));
  set_text (editor, "api_key_row", "pk_other");
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  g_assert_cmpstr (test_status (editor), ==, "Not tested yet");
}

/* Closing the page (Back or Escape) clears typed keys, stops a running test,
 * and lets the form go. */
static void
test_close_page (Fixture       *f,
                 gconstpointer  data)
{
  PdAccountEditor *editor = open_add (f);
  GtkShortcut *escape = NULL;

  g_object_ref (editor);
  fill_pesogate (editor, "Corner Shop", PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  pd_test_sandbox_fault (sandbox, PD_SANDBOX_PESOGATE_PREFIX, "delay", 1, 1000, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test-connection", NULL));
  g_assert_true (pd_account_editor_get_busy (editor));

  /* Escape is the window's shortcut for leaving a subpage. */
  for (guint i = 0; escape == NULL; i++)
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      g_assert_nonnull (controller);
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; escape == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, "Escape"))
            escape = g_steal_pointer (&shortcut);
        }
    }
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (escape), 0, GTK_WIDGET (f->window), NULL));
  g_object_unref (escape);
  drain ();
  g_assert_false (editor_shown (f));
  g_assert_null (gtk_widget_get_parent (GTK_WIDGET (editor)));
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, "");
  g_assert_cmpstr (get_text (editor, "api_secret_row"), ==, "");
  WAIT_FOR (G_OBJECT (editor)->ref_count == 1);
  g_assert_finalize_object (editor);
  g_assert_cmpuint (n_accounts (f), ==, 0);

  /* Back does the same. */
  editor = g_object_ref (open_add (f));
  set_text (editor, "api_key_row", "pk_typed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.close", NULL));
  drain ();
  g_assert_false (editor_shown (f));
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, "");
  g_assert_finalize_object (editor);
}

/* Tests: saving, with the real keyring ------------------------------------------------ */

static GtkWidget *
row_for (Fixture   *f,
         PdAccount *account)
{
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_PREFERENCES_WINDOW,
                                                              "accounts_list"));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), pd_account_get_display_name (account)) == 0)
      return row;
  return NULL;
}

/* The button under @widget that runs @action_name on @account. */
static GtkWidget *
row_button (GtkWidget  *widget,
            const char *action_name,
            PdAccount  *account)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

      if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), pd_account_get_id (account)))
        return widget;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = row_button (c, action_name, account);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label under @widget that reads @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
account_added_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_account_store_add_finish (PD_ACCOUNT_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Straight through the store, as "Explore with the Sandbox" does. */
static PdAccount *
add_through_store (Fixture    *f,
                   PdGateway   gateway,
                   const char *name,
                   gboolean    sandbox_account,
                   const char *key,
                   const char *secret)
{
  g_autoptr(PdAccount) account = pd_account_new (gateway, name);
  g_autoptr(PdAccountSecrets) secrets = pd_account_secrets_new (key, secret);
  gboolean added = FALSE;

  pd_account_set_sandbox (account, sandbox_account);
  pd_account_store_add_async (f->store, account, secrets, NULL, account_added_cb, &added);
  WAIT_FOR (added);
  remember (f, account);
  return account;
}

static void
test_list_tags (Fixture       *f,
                gconstpointer  data)
{
  PdAccount *pesogate;
  PdAccount *paysgator;
  GtkWidget *row;

  if (skip_without_keyring ())
    return;

  pesogate = add_through_store (f, PD_GATEWAY_PESOGATE, "PesoGate Sandbox", TRUE,
                                PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  paysgator = add_through_store (f, PD_GATEWAY_PAYSGATOR, "PaysGator Sandbox", TRUE,
                                 PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);
  drain ();

  row = row_for (f, pesogate);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "PesoGate");
  g_assert_nonnull (find_label (row, "SANDBOX"));
  g_assert_true (gtk_widget_is_visible (find_label (row, "SANDBOX")));
  g_assert_null (find_label (row, "LIVE"));
  g_assert_null (find_label (row, "TEST"));

  row = row_for (f, paysgator);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "PaysGator");
  g_assert_true (gtk_widget_is_visible (find_label (row, "SANDBOX")));
  g_assert_nonnull (find_label (row, "TEST"));
  g_assert_false (gtk_widget_has_css_class (find_label (row, "TEST"), "warning"));
  g_assert_nonnull (row_button (row, "account.edit", paysgator));
  g_assert_nonnull (row_button (row, "account.remove", paysgator));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row_button (row, "account.remove", paysgator)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove “PaysGator Sandbox”");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row_button (row, "account.edit", paysgator)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Edit “PaysGator Sandbox”");
  screenshot (GTK_WIDGET (f->window), "preferences-sandbox-accounts");

  /* Activating a row (a click, Enter) opens it for editing. */
  adw_action_row_activate (ADW_ACTION_ROW (row));
  /* A button activated from the keyboard clicks after a short flash. */
  WAIT_FOR (editor_shown (f));
  g_assert_true (pd_account_editor_get_account (shown_editor (f)) == paysgator);
}

static void
test_save_edit_remove (Fixture       *f,
                       gconstpointer  data)
{
  PdAccountEditor *editor;
  PdAccount *account;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  GtkWidget *row;
  AdwMessageDialog *dialog;
  GtkWidget *placeholder_text;
  GtkWidget *add_button;

  if (skip_without_keyring ())
    return;

  add_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), PD_TYPE_PREFERENCES_WINDOW,
                                                       "add_button"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add_button)), ==, "account.add");
  g_assert_true (gtk_widget_get_mapped (add_button));
  screenshot (GTK_WIDGET (f->window), "preferences-empty");

  /* Add: the keys go to the keyring, and nowhere else. */
  editor = g_object_ref (open_add (f));
  fill_pesogate (editor, "Corner Shop", PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  set_text (editor, "currencies_row", "mzn, usd");
  toggle_row (editor, "mpgs_row");
  account = save_and_wait (f, editor, 1);
  remember (f, account);
  id = g_strdup (pd_account_get_id (account));
  g_assert_true (account_at (f, 0) == account);
  g_assert_cmpstr (pd_account_get_display_name (account), ==, "Corner Shop");
  g_assert_cmpint (pd_account_get_gateway (account), ==, PD_GATEWAY_PESOGATE);
  g_assert_cmpstr (pd_account_get_base_url (account), ==, pd_test_sandbox_pesogate_url (sandbox));
  g_assert_true (pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_CYBERSOURCE));
  g_assert_false (pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_MPGS));
  g_assert_cmpstr (pd_account_get_currencies (account)[0], ==, "MZN");
  g_assert_cmpstr (pd_account_get_currencies (account)[1], ==, "USD");
  g_assert_cmpstr (pd_account_get_return_url (account), ==, PD_ACCOUNT_DEFAULT_RETURN_URL);
  g_assert_finalize_object (editor);

  key = lookup_secret (id, "api-key");
  secret = lookup_secret (id, "api-secret");
  g_assert_cmpstr (key, ==, PD_SANDBOX_PESOGATE_API_KEY);
  g_assert_cmpstr (secret, ==, PD_SANDBOX_PESOGATE_API_SECRET);
  g_assert_true (g_file_test (f->accounts_path, G_FILE_TEST_EXISTS));
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_KEY);
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_SECRET);

  /* Listed with its gateway, an Edit and a Remove button. */
  row = row_for (f, account);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "PesoGate");
  g_assert_nonnull (row_button (row, "account.edit", account));
  g_assert_nonnull (row_button (row, "account.remove", account));
  g_assert_true (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == row_button (row, "account.edit", account));
  screenshot (GTK_WIDGET (f->window), "preferences-list");

  /* Edit, keys left empty: they stay as they are. */
  editor = g_object_ref (open_edit (f, id));
  g_assert_true (pd_account_editor_get_account (editor) == account);
  g_assert_cmpstr (get_text (editor, "name_row"), ==, "Corner Shop");
  g_assert_cmpstr (get_text (editor, "currencies_row"), ==, "MZN, USD");
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, "");
  g_assert_cmpstr (get_text (editor, "api_secret_row"), ==, "");
  g_assert_false (gtk_check_button_get_active (child (editor, "mpgs_check")));
  g_assert_false (gtk_widget_get_sensitive (child (editor, "gateway_row")));
  placeholder_text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (child (editor, "api_key_row"))));
  g_assert_cmpstr (gtk_text_get_placeholder_text (GTK_TEXT (placeholder_text)), ==, "Unchanged");
  g_assert_null (problem_shown (editor, "api_key_message"));
  g_assert_true (can_save (editor));
  /* Test Connection uses the stored keys. */
  click_test (editor);
  g_assert_cmpstr (test_status (editor), ==, "Connected: the keys work.");
  screenshot (GTK_WIDGET (editor), "form-edit");

  set_text (editor, "name_row", "Corner Shop Maputo");
  /* Enter in the last field saves. */
  g_signal_emit_by_name (child (editor, "api_secret_row"), "entry-activated");
  g_assert_true (pd_account_editor_get_busy (editor));
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  drain ();
  g_assert_false (editor_shown (f));
  account = account_at (f, 0);
  g_assert_cmpstr (pd_account_get_id (account), ==, id);
  g_assert_cmpstr (pd_account_get_display_name (account), ==, "Corner Shop Maputo");
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&secret, g_free);
  key = lookup_secret (id, "api-key");
  secret = lookup_secret (id, "api-secret");
  g_assert_cmpstr (key, ==, PD_SANDBOX_PESOGATE_API_KEY);
  g_assert_cmpstr (secret, ==, PD_SANDBOX_PESOGATE_API_SECRET);
  g_assert_finalize_object (editor);

  /* Edit with a new key only: the key changes, the secret stays. */
  editor = g_object_ref (open_edit (f, id));
  set_text (editor, "api_key_row", "pk_rotated_0042");
  account = save_and_wait (f, editor, 1);
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&secret, g_free);
  key = lookup_secret (id, "api-key");
  secret = lookup_secret (id, "api-secret");
  g_assert_cmpstr (key, ==, "pk_rotated_0042");
  g_assert_cmpstr (secret, ==, PD_SANDBOX_PESOGATE_API_SECRET);
  assert_not_in_files (tmp_root, "pk_rotated_0042");
  g_assert_finalize_object (editor);

  /* Remove asks first; Cancel keeps everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "account.remove", "s", id));
  dialog = wait_for_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  close_dialog (dialog, "cancel");
  g_assert_cmpuint (n_accounts (f), ==, 1);
  g_clear_pointer (&key, g_free);
  key = lookup_secret (id, "api-key");
  g_assert_nonnull (key);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "account.remove", "s", id));
  dialog = wait_for_dialog ();
  screenshot (GTK_WIDGET (f->window), "remove-confirmation");
  close_dialog (dialog, "remove");
  WAIT_FOR (n_accounts (f) == 0);
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&secret, g_free);
  key = lookup_secret (id, "api-key");
  secret = lookup_secret (id, "api-secret");
  g_assert_null (key);
  g_assert_null (secret);
}

static void
test_save_paysgator (Fixture       *f,
                     gconstpointer  data)
{
  PdAccountEditor *editor;
  PdAccount *account;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  GtkWidget *row;
  GtkWidget *tag;

  if (skip_without_keyring ())
    return;

  editor = g_object_ref (open_add (f));
  fill_paysgator (editor, "Market Stall", PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  account = save_and_wait (f, editor, 1);
  remember (f, account);
  g_assert_cmpint (pd_account_get_gateway (account), ==, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpint (pd_account_get_mode (account), ==, PD_MODE_LIVE);
  key = lookup_secret (pd_account_get_id (account), "api-key");
  secret = lookup_secret (pd_account_get_id (account), "api-secret");
  g_assert_cmpstr (key, ==, PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_assert_null (secret);
  assert_not_in_files (tmp_root, PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_assert_finalize_object (editor);

  /* Listed with its mode, in the warning colour for LIVE. */
  row = row_for (f, account);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "PaysGator");
  tag = find_label (row, "LIVE");
  g_assert_nonnull (tag);
  g_assert_true (gtk_widget_has_css_class (tag, "warning"));
  screenshot (GTK_WIDGET (f->window), "preferences-list-paysgator");

  /* Edited without a key, the mode shown is the saved one. */
  editor = g_object_ref (open_edit (f, pd_account_get_id (account)));
  g_assert_cmpstr (mode_shown (editor), ==, "LIVE");
  set_text (editor, "api_key_row", PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_cmpstr (mode_shown (editor), ==, "TEST");
  account = save_and_wait (f, editor, 1);
  g_assert_cmpint (pd_account_get_mode (account), ==, PD_MODE_TEST);
  g_assert_finalize_object (editor);
  g_clear_pointer (&key, g_free);
  key = lookup_secret (pd_account_get_id (account), "api-key");
  g_assert_cmpstr (key, ==, PD_SANDBOX_PAYSGATOR_TEST_KEY);
}

/* The keyring takes the keys, the accounts file cannot be written: the store
 * puts the keyring back, and the form says so and keeps its input. */
static void
test_save_fails_unwritable (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (tmp_root, "config", "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "accounts.ini", NULL);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  PdPreferencesWindow *window;
  PdAccountEditor *editor;
  AdwMessageDialog *dialog;
  const char *key = "pk_never_saved_7731";

  if (skip_without_keyring ())
    return;

  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  window = pd_preferences_window_new (store);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.add", NULL));
  drain ();
  editor = PD_ACCOUNT_EDITOR (find_widget (GTK_WIDGET (window), PD_TYPE_ACCOUNT_EDITOR));
  fill_pesogate (editor, "Corner Shop", key, "sk_never_saved_7731");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dialog = wait_for_dialog ();
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The account could not be saved");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Nothing was saved."));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  screenshot (GTK_WIDGET (window), "save-failed");

  /* Nothing half-saved; the form as it was, ready to try again. */
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
  g_assert_false (keyring_holds (key));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_cmpstr (get_text (editor, "name_row"), ==, "Corner Shop");
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, key);
  g_assert_true (can_save (editor));
  close_dialog (dialog, "close");

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);
  g_remove (blocker);
}

/* In a process whose session bus does not exist (main() points it nowhere). */
static void
keyring_unavailable_child (void)
{
  g_autofree char *path = g_build_filename (tmp_root, "config", "paydesk", "no-keyring.ini", NULL);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  PdPreferencesWindow *window;
  PdAccountEditor *editor;
  AdwMessageDialog *dialog;

  window = pd_preferences_window_new (store);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.add", NULL));
  drain ();
  editor = PD_ACCOUNT_EDITOR (find_widget (GTK_WIDGET (window), PD_TYPE_ACCOUNT_EDITOR));
  fill_pesogate (editor, "Corner Shop", PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dialog = wait_for_dialog ();
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "No keyring service is running");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "GNOME Keyring"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Nothing was saved."));
  screenshot (GTK_WIDGET (window), "keyring-unavailable");

  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_KEY);
  assert_not_in_files (tmp_root, PD_SANDBOX_PESOGATE_API_SECRET);
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, PD_SANDBOX_PESOGATE_API_KEY);
  g_assert_true (can_save (editor));
  close_dialog (dialog, "close");

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);
}

static void
test_keyring_unavailable (void)
{
  if (g_test_subprocess ())
    {
      keyring_unavailable_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* In a process with its own session bus and gnome-keyring (main() starts
 * them), whose login keyring the test locks: no prompter can unlock it. */
static void
keyring_locked_child (void)
{
  g_autofree char *path = g_build_filename (tmp_root, "config", "paydesk", "locked.ini", NULL);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *collections;
  PdPreferencesWindow *window;
  PdAccountEditor *editor;
  AdwMessageDialog *dialog;

  g_assert_nonnull (private_keyring);
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  collections = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, collections, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (collections);

  /* The unlock prompt fails at once here; the deadline is there in case it does not. */
  pd_account_store_set_keyring_timeout (store, 3);
  window = pd_preferences_window_new (store);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "account.add", NULL));
  drain ();
  editor = PD_ACCOUNT_EDITOR (find_widget (GTK_WIDGET (window), PD_TYPE_ACCOUNT_EDITOR));
  fill_paysgator (editor, "Market Stall", PD_SANDBOX_PAYSGATOR_TEST_KEY);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  dialog = wait_for_dialog ();
  WAIT_FOR (!pd_account_editor_get_busy (editor));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Your keyring is locked");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Unlock your keyring"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Nothing was saved."));
  screenshot (GTK_WIDGET (window), "keyring-locked");

  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (get_text (editor, "api_key_row"), ==, PD_SANDBOX_PAYSGATOR_TEST_KEY);
  close_dialog (dialog, "close");

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);

  g_subprocess_send_signal (private_keyring, SIGTERM);
  g_subprocess_wait (private_keyring, NULL, NULL);
}

static void
test_keyring_locked (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (g_test_subprocess ())
    {
      keyring_locked_child ();
      return;
    }
  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Tests: with the application ----------------------------------------------------------- */

typedef struct
{
  PdApplication  *app;
  PdAccountStore *store;
  gboolean        started;
  char           *added_id;
} AppRun;

static gboolean
added_account_is_selected (gpointer user_data)
{
  AppRun *run = user_data;
  PdWindow *window = NULL;
  GtkWindow *preferences;
  PdAccountEditor *editor;
  PdAccount *account;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l != NULL; l = l->next)
    if (PD_IS_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);
  WAIT_FOR (pd_application_get_ready (run->app));
  g_assert_null (pd_window_get_account (window));

  g_action_group_activate_action (G_ACTION_GROUP (run->app), "preferences", NULL);
  drain ();
  preferences = find_toplevel (PD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "account.add", NULL));
  drain ();
  editor = PD_ACCOUNT_EDITOR (find_widget (GTK_WIDGET (preferences), PD_TYPE_ACCOUNT_EDITOR));
  fill_paysgator (editor, "Market Stall", PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  WAIT_FOR (g_list_model_get_n_items (pd_account_store_get_accounts (run->store)) == 1);
  drain ();

  account = g_list_model_get_item (pd_account_store_get_accounts (run->store), 0);
  run->added_id = g_strdup (pd_account_get_id (account));
  g_object_unref (account);
  g_assert_nonnull (pd_window_get_account (window));
  g_assert_cmpstr (pd_account_get_id (pd_window_get_account (window)), ==, run->added_id);

  g_object_ref (window);
  destroy_toplevels_but (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static void
app_activated_cb (GApplication *app,
                  AppRun       *run)
{
  if (run->started)
    return;
  run->started = TRUE;
  g_idle_add (added_account_is_selected, run);
}

static void
test_added_account_selected (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (PD_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(PdSettings) settings = pd_settings_new (gsettings);
  g_autofree char *path = g_build_filename (tmp_root, "config", "paydesk", "app-accounts.ini", NULL);
  char *argv[] = { (char *) "test-preferences", NULL };
  AppRun run = { 0 };

  if (skip_without_keyring ())
    return;

  run.store = pd_account_store_new (path);
  run.app = pd_application_new (settings, run.store);
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (app_activated_cb), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run.app), 1, argv), ==, EXIT_SUCCESS);
  g_assert_true (run.started);
  g_assert_nonnull (run.added_id);

  secret_password_clear_sync (&test_schema, NULL, NULL, "account-id", run.added_id, NULL);
  g_free (run.added_id);
  g_clear_object (&run.store);
  drain ();
  g_assert_finalize_object (run.app);
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

/* Whether this process is the subprocess of the test at @path. It must know
 * before anything connects to the session bus. */
static gboolean
is_subprocess_of (int         argc,
                  char      **argv,
                  const char *path)
{
  gboolean subprocess = FALSE;
  gboolean that_test = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--GTestSubprocess"))
        subprocess = TRUE;
      else if (g_str_equal (argv[i], path))
        that_test = TRUE;
    }
  return subprocess && that_test;
}

/* A session bus of our own with gnome-keyring on it, its login keyring
 * created and unlocked with a password this test knows. */
static void
start_private_keyring (void)
{
  g_autofree char *home = g_build_filename (tmp_root, "home", NULL);
  g_autofree char *runtime_dir = g_build_filename (tmp_root, "run", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  GOutputStream *input;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  private_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (private_bus);
  /* GTestDBus unsets it; GTK still needs it. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* Its warnings are not this test's. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  private_keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  input = g_subprocess_get_stdin_pipe (private_keyring);
  g_output_stream_write_all (input, PRIVATE_KEYRING_PASSWORD, strlen (PRIVATE_KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, NULL);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("The private gnome-keyring did not start");
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

#define ADD_TEST(path, body) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (body), fixture_tear_down)

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
  gboolean child_without_keyring = is_subprocess_of (argc, argv, KEYRING_UNAVAILABLE_PATH);
  gboolean child_with_locked_keyring = is_subprocess_of (argc, argv, KEYRING_LOCKED_PATH);
  int status;

  if (child_without_keyring)
    {
      g_autofree char *nowhere = g_build_filename (g_get_tmp_dir (), "paydesk-no-such-bus", "socket", NULL);
      g_autofree char *address = g_strconcat ("unix:path=", nowhere, NULL);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
    }

  /* Before anything reads them: nothing may land in the real home. */
  tmp_root = g_dir_make_tmp ("paydesk-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, xdg_dirs[i][1], NULL);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  /* Under Xvfb, GL is llvmpipe, which spends seconds compiling shaders for
   * each new window; these tests are about widgets, not about drawing. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* Accessible labels are checked: GTK's recording context, no a11y bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (child_with_locked_keyring)
    start_private_keyring ();

  gtk_test_init (&argc, &argv, NULL);
  /* What AdwApplication does: the Adwaita style sheet. */
  adw_init ();
  /* The UI resources: PdApplication's class registers them, once (a second
   * paydesk_register_resource() would loop GIO's list of static resources). */
  g_type_class_unref (g_type_class_ref (PD_TYPE_APPLICATION));
  /* Subpage transitions end at once, so what is shown is shown now. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  have_keyring = !child_without_keyring && !child_with_locked_keyring && keyring_is_running ();
  sandbox = pd_test_sandbox_start (FALSE, PD_SANDBOX_DEFAULT_RATE_LIMIT);

  ADD_TEST ("/pd/preferences/form/defaults", test_form_defaults);
  ADD_TEST ("/pd/preferences/form/validation", test_validation);
  ADD_TEST ("/pd/preferences/form/paysgator-mode", test_paysgator_mode);
  ADD_TEST ("/pd/preferences/form/close", test_close_page);
  ADD_TEST ("/pd/preferences/test-connection/pesogate", test_connection_pesogate);
  ADD_TEST ("/pd/preferences/test-connection/paysgator", test_connection_paysgator);
  ADD_TEST ("/pd/preferences/test-connection/errors", test_connection_errors);
  ADD_TEST ("/pd/preferences/list/tags", test_list_tags);
  ADD_TEST ("/pd/preferences/save/pesogate-edit-remove", test_save_edit_remove);
  ADD_TEST ("/pd/preferences/save/paysgator", test_save_paysgator);
  ADD_TEST ("/pd/preferences/save/unwritable", test_save_fails_unwritable);
  g_test_add_func (KEYRING_UNAVAILABLE_PATH, test_keyring_unavailable);
  g_test_add_func (KEYRING_LOCKED_PATH, test_keyring_locked);
  g_test_add_func ("/pd/preferences/added-account-selected", test_added_account_selected);

  status = g_test_run ();
  pd_test_sandbox_stop (sandbox);
  /* private_bus stays up: taking it down waits for GTK and libsecret to let
   * go of the bus, which they never do. Its watcher stops the daemon when
   * this process exits. */
  g_clear_object (&private_keyring);
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
