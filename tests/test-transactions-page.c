/* test-transactions-page.c: the Transactions page, its details, and the application's ledger
 *
 * Under Xvfb (gtk_test_init) with the private, unlocked gnome-keyring of
 * `build-aux/dev test` (TESTING.md), the in-process sandbox over real HTTP,
 * and a real SQLite ledger in a temporary folder. The page is driven the way
 * a person does, through its widgets and actions; every test checks that
 * the page and its window are finalized. Tests that need the keyring are
 * skipped, and say so, without one.
 */
#define G_LOG_DOMAIN "test-transactions-page"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "pd-application.h"
#include "pd-error.h"
#include "pd-test-sandbox.h"
#include "pd-transaction-details.h"
#include "pd-transaction-row.h"
#include "pd-transactions-page.h"
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

/* XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME all live under here. */
static char *tmp_root;
static gboolean have_keyring;
static PdTestSandbox *sandbox;

typedef struct
{
  char               *dir;
  PdAccountStore     *store;
  PdLedger           *ledger;
  PdAccount          *account;
  PdAccountSession   *session;
  GtkWindow          *window;
  PdTransactionsPage *page;
  GPtrArray          *account_ids;
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
deadline_passed_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, deadline_passed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Drops the last reference and waits for the work in flight, cancelled or
 * not, to let go of @object; fails when something keeps it. */
static void
assert_finalized_soon (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  WAIT_FOR (weak == NULL);
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **result)
{
  WAIT_FOR (*result != NULL);
  return *result;
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

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
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

static GtkWidget *
find_with_class (GtkWidget  *root,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label_full (GtkWidget  *root,
                 const char *text,
                 gboolean    mapped)
{
  if (GTK_IS_LABEL (root) && (!mapped || gtk_widget_get_mapped (root)) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_full (child, text, mapped);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A mapped label under @root whose text is @text. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return find_label_full (root, text, TRUE);
}

static gboolean
shows_label (gpointer    root,
             const char *text)
{
  return find_label (GTK_WIDGET (root), text) != NULL;
}

/* Whether a mapped label under @root has @text in it. */
static gboolean
shows_text (gpointer    root,
            const char *text)
{
  GtkWidget *widget = GTK_WIDGET (root);

  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* The rows the list view has made, mapped, in no particular order. */
static void
collect_rows (GtkWidget *root,
              GPtrArray *rows)
{
  if (PD_IS_TRANSACTION_ROW (root) && gtk_widget_get_mapped (root))
    g_ptr_array_add (rows, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GPtrArray *
mapped_rows (gpointer root)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (root), rows);
  return rows;
}

static guint
n_mapped_rows (gpointer root)
{
  g_autoptr(GPtrArray) rows = mapped_rows (root);

  return rows->len;
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (pd_transactions_page_get_transactions (f->page));
}

static PdTransaction *
shown (Fixture *f,
       guint    position)
{
  return g_list_model_get_item (pd_transactions_page_get_transactions (f->page), position);
}

static guint
position_of (Fixture    *f,
             const char *reference)
{
  for (guint i = 0; i < n_shown (f); i++)
    {
      g_autoptr(PdTransaction) t = shown (f, i);

      if (g_strcmp0 (pd_transaction_get_reference (t), reference) == 0)
        return i;
    }
  g_error ("%s is not listed", reference);
}

static PdStatus
shown_status (Fixture *f,
              guint    position)
{
  g_autoptr(PdTransaction) t = shown (f, position);

  return t != NULL ? pd_transaction_get_status (t) : PD_STATUS_UNKNOWN;
}

/* Waits for the queries to settle and the list to hold @n rows. */
#define WAIT_FOR_ROWS(f, n) \
  WAIT_FOR (!pd_transactions_page_get_loading ((f)->page) && n_shown (f) == (n) && \
            pd_transactions_page_get_count ((f)->page) >= 0)

/* The page's stack that has a page named @child_name. */
static GtkStack *
find_stack (GtkWidget  *root,
            const char *child_name)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), child_name) != NULL)
    return GTK_STACK (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_stack (child, child_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
page_state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (find_stack (GTK_WIDGET (f->page), "details"));
}

static gboolean
showing_list_page (Fixture    *f,
                   const char *name)
{
  return g_strcmp0 (page_state (f), "list") == 0 &&
         g_strcmp0 (gtk_stack_get_visible_child_name (find_stack (GTK_WIDGET (f->page), "rows")), name) == 0;
}

static GtkRevealer *
look_up_bar (Fixture *f)
{
  return GTK_REVEALER (find_widget (GTK_WIDGET (f->page), GTK_TYPE_REVEALER, NULL));
}

/* A label of the Look Up bar says @text. */
static GtkWidget *
look_up_says (Fixture    *f,
              const char *text)
{
  GtkWidget *label = find_label_full (GTK_WIDGET (look_up_bar (f)), text, FALSE);

  return label != NULL && gtk_widget_get_visible (label) ? label : NULL;
}

static PdTransaction *
new_transaction (const char *reference,
                 const char *order_id,
                 const char *customer,
                 const char *last_four,
                 PdStatus    status,
                 gint64      created_at)
{
  PdTransaction *t = pd_transaction_new ();

  pd_transaction_set_reference (t, reference);
  pd_transaction_set_order_id (t, order_id);
  pd_transaction_set_customer_name (t, customer);
  pd_transaction_set_amount (t, 1250);
  pd_transaction_set_currency (t, "USD");
  pd_transaction_set_status (t, status);
  pd_transaction_set_gateway_status (t, pd_status_to_key (status));
  pd_transaction_set_payment_method (t, "card");
  pd_transaction_set_card_brand (t, "visa");
  pd_transaction_set_card_last_four (t, last_four);
  pd_transaction_set_created_at (t, created_at);
  return t;
}

static PdTransaction *
record (Fixture       *f,
        PdTransaction *transaction,
        const char    *note)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransaction *stored;

  pd_account_session_record_async (f->session, transaction, note, NULL, keep_result, &result);
  stored = pd_account_session_record_finish (f->session, await_result (&result), &error);
  g_assert_no_error (error);
  return stored;
}

static void
record_new (Fixture    *f,
            const char *reference,
            const char *order_id,
            const char *customer,
            const char *last_four,
            PdStatus    status,
            gint64      created_at)
{
  g_autoptr(PdTransaction) t = new_transaction (reference, order_id, customer, last_four, status, created_at);
  g_autoptr(PdTransaction) stored = record (f, t, "test");
}

static char *
demo_id (const char *gateway,
         const char *member,
         guint       index)
{
  g_autoptr(PdTestResponse) info = pd_test_http (sandbox, "GET", "/_sandbox/info", NULL, NULL, NULL);
  JsonObject *root = pd_test_response_object (info);
  JsonArray *ids = json_object_get_array_member (json_object_get_object_member (root, gateway), member);

  return g_strdup (json_array_get_string_element (ids, index));
}

static guint
count_requests (const char *path_prefix)
{
  g_autoptr(JsonArray) requests = pd_test_sandbox_requests (sandbox, path_prefix);

  return json_array_get_length (requests);
}

/* Fixture ------------------------------------------------------------------- */

static PdAccount *
add_account (PdAccountStore *store,
             PdGateway       gateway,
             GPtrArray      *ids)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (gateway == PD_GATEWAY_PESOGATE)
    {
      static const char * const providers[] = { PD_ACCOUNT_PROVIDER_CYBERSOURCE, PD_ACCOUNT_PROVIDER_MPGS, NULL };

      account = pd_account_new (gateway, "Corner Shop");
      pd_account_set_base_url (account, pd_test_sandbox_pesogate_url (sandbox));
      pd_account_set_providers (account, providers);
      pd_account_set_mode (account, PD_MODE_TEST);
      secrets = pd_account_secrets_new (PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
    }
  else
    {
      account = pd_account_new (gateway, "Wallet Shop");
      pd_account_set_base_url (account, pd_test_sandbox_paysgator_url (sandbox));
      secrets = pd_account_secrets_new (PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);
    }
  pd_account_set_sandbox (account, TRUE);

  pd_account_store_add_async (store, account, secrets, NULL, keep_result, &result);
  g_assert_true (pd_account_store_add_finish (store, await_result (&result), &error));
  g_assert_no_error (error);
  g_ptr_array_add (ids, g_strdup (pd_account_get_id (account)));
  return g_steal_pointer (&account);
}

static PdAccountSession *
open_session (PdAccount      *account,
              PdAccountStore *store,
              PdLedger       *ledger)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdAccountSession *session;

  pd_account_session_open_async (account, store, ledger, NULL, keep_result, &result);
  session = pd_account_session_open_finish (await_result (&result), &error);
  g_assert_no_error (error);
  return session;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *accounts = NULL;
  g_autofree char *ledger = NULL;
  g_autoptr(GError) error = NULL;
  PdGateway gateway = GPOINTER_TO_INT (data);

  f->account_ids = g_ptr_array_new_with_free_func (g_free);
  f->dir = g_dir_make_tmp ("page-XXXXXX", &error);
  g_assert_no_error (error);
  accounts = g_build_filename (f->dir, "accounts.ini", NULL);
  ledger = g_build_filename (f->dir, "ledger.db", NULL);

  f->store = pd_account_store_new (accounts);
  f->ledger = pd_ledger_new_sync (ledger, NULL, &error);
  g_assert_no_error (error);

  f->page = PD_TRANSACTIONS_PAGE (pd_transactions_page_new ());
  g_object_ref_sink (f->page);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  drain ();

  if (have_keyring)
    {
      f->account = add_account (f->store, gateway, f->account_ids);
      f->session = open_session (f->account, f->store, f->ledger);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *window = g_steal_pointer (&f->window);

  g_object_ref (window);
  gtk_window_destroy (window);
  drain ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (g_steal_pointer (&f->page));
  if (f->session != NULL)
    assert_finalized_soon (g_steal_pointer (&f->session));
  g_clear_object (&f->account);

  for (guint i = 0; have_keyring && i < f->account_ids->len; i++)
    secret_password_clear_sync (&test_schema, NULL, NULL,
                                "account-id", g_ptr_array_index (f->account_ids, i),
                                NULL);
  g_clear_pointer (&f->account_ids, g_ptr_array_unref);
  g_assert_true (pd_ledger_close_sync (f->ledger, NULL, NULL));
  assert_finalized_soon (g_steal_pointer (&f->ledger));
  g_assert_finalize_object (g_steal_pointer (&f->store));
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

/* Page tests ------------------------------------------------------------------------ */

static void
test_no_session (Fixture       *f,
                 gconstpointer  data)
{
  /* Opening, or could not be opened: no data, no list. */
  g_assert_cmpstr (page_state (f), ==, "closed");
  g_assert_null (pd_transactions_page_get_session (f->page));
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_true (shows_label (f->page, "Transactions"));
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  if (skip_without_keyring ())
    return;

  pd_transactions_page_set_session (f->page, f->session);
  g_assert_true (pd_transactions_page_get_session (f->page) == f->session);
  WAIT_FOR_ROWS (f, 0);
  g_assert_cmpint (pd_transactions_page_get_count (f->page), ==, 0);
  g_assert_true (showing_list_page (f, "empty"));
  g_assert_true (shows_label (f->page, "No Transactions Yet"));
  g_assert_true (shows_label (f->page, "0 transactions"));

  /* The empty state's button opens Look Up, ready for typing; Escape closes it. */
  g_assert_false (gtk_revealer_get_reveal_child (look_up_bar (f)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.show-look-up", NULL));
  drain ();
  g_assert_true (gtk_revealer_get_reveal_child (look_up_bar (f)));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (gtk_widget_get_ancestor (find_label (GTK_WIDGET (f->page), "Look Up…"),
                                                                                           GTK_TYPE_TOGGLE_BUTTON))));
  g_assert_nonnull (look_up_says (f, "Type a PesoGate transaction reference. Paydesk asks the gateway for it and keeps the answer here."));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.hide-look-up", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (look_up_bar (f)));
}

static void
test_rows_appear (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PdTransaction) first = NULL;
  g_autoptr(PdTransaction) last = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (skip_without_keyring ())
    return;

  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 0);

  /* Recorded while the page is open: they appear by themselves, newest first. */
  record_new (f, "REF-A", "ORDER-A", "Amina Mwangi", "4242", PD_STATUS_COMPLETED, 1700000000);
  record_new (f, "REF-B", "ORDER-B", "Baraka Otieno", "4444", PD_STATUS_FAILED, 1700000100);
  record_new (f, "REF-C", "ORDER-C", NULL, "0005", PD_STATUS_PENDING, 1700000200);
  WAIT_FOR_ROWS (f, 3);
  g_assert_cmpint (pd_transactions_page_get_count (f->page), ==, 3);
  first = shown (f, 0);
  last = shown (f, 2);
  g_assert_cmpstr (pd_transaction_get_reference (first), ==, "REF-C");
  g_assert_cmpstr (pd_transaction_get_reference (last), ==, "REF-A");
  g_assert_true (showing_list_page (f, "rows"));
  g_assert_true (shows_label (f->page, "3 transactions"));

  /* What a row reads: status, who or which order, reference, masked card, amount. */
  WAIT_FOR (n_mapped_rows (f->page) == 3);
  rows = mapped_rows (f->page);
  g_assert_true (shows_label (f->page, "Amina Mwangi"));
  g_assert_true (shows_label (f->page, "ORDER-C"));
  g_assert_true (shows_label (f->page, "REF-B"));
  g_assert_true (shows_label (f->page, "Visa •••• 4444"));
  g_assert_true (shows_label (f->page, "Failed"));
  g_assert_true (shows_label (f->page, "Pending"));
  g_assert_true (shows_label (f->page, "US$12.50"));
  for (guint i = 0; i < rows->len; i++)
    {
      PdTransactionRow *row = rows->pdata[i];
      GtkWidget *pill = find_label (GTK_WIDGET (row),
                                    pd_status_get_label (pd_transaction_get_status (pd_transaction_row_get_transaction (row))));

      g_assert_nonnull (pill);
      g_assert_true (gtk_widget_has_css_class (pill, "status-pill"));
      switch (pd_transaction_get_status (pd_transaction_row_get_transaction (row)))
        {
        case PD_STATUS_COMPLETED:
          g_assert_true (gtk_widget_has_css_class (pill, "completed"));
          break;
        case PD_STATUS_FAILED:
          g_assert_true (gtk_widget_has_css_class (pill, "failed"));
          break;
        default:
          g_assert_true (gtk_widget_has_css_class (pill, "in-flight"));
          break;
        }
    }

  /* A status change shows too, in place. */
  {
    g_autoptr(PdTransaction) done = new_transaction ("REF-C", NULL, NULL, NULL, PD_STATUS_COMPLETED, 0);
    g_autoptr(PdTransaction) stored = record (f, done, "status check");

    WAIT_FOR (shown_status (f, 0) == PD_STATUS_COMPLETED);
    g_assert_cmpuint (n_shown (f), ==, 3);
  }
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkEditable *search;
  g_autoptr(PdTransaction) found = NULL;

  if (skip_without_keyring ())
    return;

  record_new (f, "REF-A1", "ORDER-1001", "Amina Mwangi", "4242", PD_STATUS_COMPLETED, 1700000000);
  record_new (f, "REF-B2", "ORDER-1002", "Baraka Otieno", "4444", PD_STATUS_COMPLETED, 1700000100);
  record_new (f, "REF-C3", "ORDER-2003", "Chausiku Njeri", "0005", PD_STATUS_FAILED, 1700000200);
  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 3);

  /* Ctrl+F's action puts the focus in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.search", NULL));
  search = GTK_EDITABLE (find_widget (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY, NULL));
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (search)) ||
                 gtk_widget_is_focus (gtk_widget_get_first_child (GTK_WIDGET (search))) ||
                 gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (search))));

  /* Customer name, ignoring case. */
  gtk_editable_set_text (search, "amina");
  WAIT_FOR_ROWS (f, 1);
  found = shown (f, 0);
  g_assert_cmpstr (pd_transaction_get_reference (found), ==, "REF-A1");
  g_assert_true (shows_label (f->page, "1 transaction"));

  /* Last four. */
  gtk_editable_set_text (search, "4444");
  WAIT_FOR_ROWS (f, 1);
  g_clear_object (&found);
  found = shown (f, 0);
  g_assert_cmpstr (pd_transaction_get_reference (found), ==, "REF-B2");

  /* Order id and reference. */
  gtk_editable_set_text (search, "ORDER-100");
  WAIT_FOR_ROWS (f, 2);
  gtk_editable_set_text (search, "REF-C3");
  WAIT_FOR_ROWS (f, 1);

  /* Nothing matches: said so, not the "no transactions yet" page. */
  gtk_editable_set_text (search, "nobody-at-all");
  WAIT_FOR_ROWS (f, 0);
  g_assert_true (showing_list_page (f, "no-results"));
  g_assert_false (showing_list_page (f, "empty"));

  gtk_editable_set_text (search, "");
  WAIT_FOR_ROWS (f, 3);
}

static void
test_status_filter (Fixture       *f,
                    gconstpointer  data)
{
  GtkDropDown *status;

  if (skip_without_keyring ())
    return;

  record_new (f, "REF-1", "O-1", "A", "1111", PD_STATUS_COMPLETED, 1700000000);
  record_new (f, "REF-2", "O-2", "B", "2222", PD_STATUS_COMPLETED, 1700000001);
  record_new (f, "REF-3", "O-3", "C", "3333", PD_STATUS_PENDING, 1700000002);
  record_new (f, "REF-4", "O-4", "D", "4444", PD_STATUS_AUTHORIZED, 1700000003);
  record_new (f, "REF-5", "O-5", "E", "5555", PD_STATUS_FAILED, 1700000004);
  record_new (f, "REF-6", "O-6", "F", "6666", PD_STATUS_REFUNDED, 1700000005);
  record_new (f, "REF-7", "O-7", "G", "7777", PD_STATUS_CANCELLED, 1700000006);
  record_new (f, "REF-8", "O-8", "H", "8888", PD_STATUS_INITIALIZED, 1700000007);
  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 8);

  status = GTK_DROP_DOWN (find_widget (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (status)), ==, 6);

  gtk_drop_down_set_selected (status, 1);
  WAIT_FOR_ROWS (f, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PdTransaction) t = shown (f, i);

      g_assert_cmpint (pd_transaction_get_status (t), ==, PD_STATUS_COMPLETED);
    }

  /* Pending is everything on its way: initialized, pending, authorized. */
  gtk_drop_down_set_selected (status, 2);
  WAIT_FOR_ROWS (f, 3);
  gtk_drop_down_set_selected (status, 3);
  WAIT_FOR_ROWS (f, 1);
  gtk_drop_down_set_selected (status, 4);
  WAIT_FOR_ROWS (f, 1);
  gtk_drop_down_set_selected (status, 5);
  WAIT_FOR_ROWS (f, 1);

  /* With the search: both apply. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY, NULL)), "1111");
  WAIT_FOR_ROWS (f, 0);
  g_assert_true (showing_list_page (f, "no-results"));
  gtk_drop_down_set_selected (status, 0);
  WAIT_FOR_ROWS (f, 1);
}

static void
test_look_up (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *reference = demo_id ("pesogate", "references", 3);
  g_autoptr(PdTransaction) in_list = NULL;
  g_autoptr(PdTransaction) in_ledger = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransactionDetails *details;
  GtkWidget *error_label;

  if (skip_without_keyring ())
    return;

  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 0);
  details = PD_TRANSACTION_DETAILS (find_widget (GTK_WIDGET (f->page), PD_TYPE_TRANSACTION_DETAILS, NULL));

  /* Nothing typed: said so, nothing asked. */
  pd_test_sandbox_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.show-look-up", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.look-up", "s", "  "));
  drain ();
  g_assert_nonnull (look_up_says (f, "Type the transaction’s reference first."));
  g_assert_cmpuint (count_requests (PD_SANDBOX_PESOGATE_PREFIX), ==, 0);

  /* A reference the gateway does not know: its answer, nothing added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.look-up", "s",
                                             "00000000-0000-4000-8000-000000000000"));
  error_label = NULL;
  WAIT_FOR (count_requests (PD_SANDBOX_PESOGATE_PREFIX) == 1 &&
            (error_label = look_up_says (f, pd_gateway_error_code_get_message (PD_GATEWAY_ERROR_NOT_FOUND))) != NULL);
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_cmpuint (n_shown (f), ==, 0);

  /* A real one: fetched, recorded, shown, and listed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.look-up", "s", reference));
  WAIT_FOR (g_strcmp0 (page_state (f), "details") == 0);
  g_assert_cmpstr (pd_transaction_get_reference (pd_transaction_details_get_transaction (details)), ==, reference);
  g_assert_false (gtk_revealer_get_reveal_child (look_up_bar (f)));

  pd_ledger_find_transaction_async (f->ledger, pd_account_get_id (f->account), reference, NULL, keep_result, &result);
  in_ledger = pd_ledger_find_transaction_finish (f->ledger, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (in_ledger);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.back", NULL));
  WAIT_FOR_ROWS (f, 1);
  in_list = shown (f, 0);
  g_assert_cmpstr (pd_transaction_get_reference (in_list), ==, reference);
  g_assert_cmpstr (page_state (f), ==, "list");
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *reference = demo_id ("pesogate", "references", 5);
  g_autofree char *status_path = NULL;
  g_autoptr(PdTransaction) looked_up = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransactionDetails *details;
  GtkListView *list_view;
  GtkListBox *timeline;
  GtkWidget *check;
  guint asked;

  if (skip_without_keyring ())
    return;

  /* A payment's life: created pending, then completed. */
  record_new (f, "REF-LIFE", "ORDER-LIFE", "Amina Mwangi", "4242", PD_STATUS_PENDING, 1700000000);
  {
    g_autoptr(PdTransaction) done = new_transaction ("REF-LIFE", NULL, NULL, NULL, PD_STATUS_COMPLETED, 0);
    g_autoptr(PdTransaction) stored = record (f, done, "background refresh");
  }
  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 1);

  /* Activating the row (click or Enter) shows its details. */
  list_view = GTK_LIST_VIEW (find_with_class (GTK_WIDGET (f->page), "transactions-list"));
  g_signal_emit_by_name (list_view, "activate", 0);
  WAIT_FOR (g_strcmp0 (page_state (f), "details") == 0);
  details = PD_TRANSACTION_DETAILS (find_widget (GTK_WIDGET (f->page), PD_TYPE_TRANSACTION_DETAILS, NULL));
  g_assert_cmpstr (pd_transaction_get_reference (pd_transaction_details_get_transaction (details)), ==, "REF-LIFE");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (details)));

  /* Its fields, and its timeline with the source of each change. */
  WAIT_FOR (pd_transaction_details_get_events (details) != NULL && pd_transaction_details_get_refunds (details) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pd_transaction_details_get_events (details)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (pd_transaction_details_get_refunds (details)), ==, 0);
  timeline = GTK_LIST_BOX (find_widget (GTK_WIDGET (details), GTK_TYPE_LIST_BOX, "timeline"));
  g_assert_nonnull (gtk_list_box_get_row_at_index (timeline, 1));
  g_assert_null (gtk_list_box_get_row_at_index (timeline, 2));
  g_assert_true (shows_label (details, "ORDER-LIFE"));
  g_assert_true (shows_label (details, "Amina Mwangi"));
  g_assert_true (shows_label (details, "Visa •••• 4242"));
  g_assert_true (shows_label (details, "REF-LIFE"));
  g_assert_true (shows_label (details, "US$12.50"));
  g_assert_true (shows_label (details, "No refunds"));

  /* Escape (its action) goes back to the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.back", NULL));
  drain ();
  g_assert_cmpstr (page_state (f), ==, "list");

  /* Check Status asks the gateway now and records what it says. */
  pd_account_session_look_up_async (f->session, reference, PD_HTTP_FLAGS_NONE, "lookup", NULL, keep_result, &result);
  looked_up = pd_account_session_look_up_finish (f->session, await_result (&result), &error);
  g_assert_no_error (error);
  WAIT_FOR_ROWS (f, 2);
  g_signal_emit_by_name (list_view, "activate", position_of (f, reference));
  WAIT_FOR (g_strcmp0 (page_state (f), "details") == 0 && pd_transaction_details_get_events (details) != NULL);
  g_assert_cmpstr (pd_transaction_get_reference (pd_transaction_details_get_transaction (details)), ==, reference);
  status_path = g_strdup_printf (PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH "/payments/%s/status", reference);
  asked = count_requests (status_path);
  check = gtk_widget_get_ancestor (find_label (GTK_WIDGET (details), "Check Status"), GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_sensitive (check));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.check-status", NULL));
  /* One press, one request: the button waits for the answer. */
  g_assert_false (gtk_widget_get_sensitive (check));
  WAIT_FOR (count_requests (status_path) == asked + 1 && gtk_widget_get_sensitive (check));
}

/* Check Status, and live updates of the details from the session. */
static void
test_details_live (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *reference = demo_id ("pesogate", "references", 7);
  g_autofree char *status_path = NULL;
  PdTransactionDetails *details;
  PdTransaction *current;
  GtkWidget *check;
  PdStatus next;
  guint asked;

  if (skip_without_keyring ())
    return;

  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.look-up", "s", reference));
  WAIT_FOR (g_strcmp0 (page_state (f), "details") == 0);
  details = PD_TRANSACTION_DETAILS (find_widget (GTK_WIDGET (f->page), PD_TYPE_TRANSACTION_DETAILS, NULL));
  WAIT_FOR (pd_transaction_details_get_events (details) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pd_transaction_details_get_events (details)), ==, 1);

  status_path = g_strdup_printf (PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH "/payments/%s/status", reference);
  asked = count_requests (status_path);
  check = gtk_widget_get_ancestor (find_label (GTK_WIDGET (details), "Check Status"), GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.check-status", NULL));
  /* Asked, answered and recorded: the button comes back. */
  WAIT_FOR (count_requests (status_path) == asked + 1 && gtk_widget_get_sensitive (check) &&
            pd_transaction_details_get_events (details) != NULL);

  /* Someone else records a change (a background refresh): the details follow. */
  current = pd_transaction_details_get_transaction (details);
  next = pd_transaction_get_status (current) == PD_STATUS_CANCELLED ? PD_STATUS_FAILED : PD_STATUS_CANCELLED;
  {
    g_autoptr(PdTransaction) changed = new_transaction (reference, NULL, NULL, NULL, next, 0);
    g_autoptr(PdTransaction) stored = record (f, changed, "background refresh");
  }
  WAIT_FOR ((current = pd_transaction_details_get_transaction (details)) != NULL &&
            pd_transaction_get_status (current) == next &&
            pd_transaction_details_get_events (details) != NULL &&
            g_list_model_get_n_items (pd_transaction_details_get_events (details)) == 2);
  g_assert_true (shows_label (details, pd_status_get_label (next)));
  g_assert_true (shows_text (details, "Status changed"));
  g_assert_true (shows_text (details, "Background refresh"));
}

static void
test_load_more (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button;

  if (skip_without_keyring ())
    return;

  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *reference = g_strdup_printf ("REF-%03u", i);
      PdTransaction *t = new_transaction (reference, NULL, NULL, "4242", PD_STATUS_COMPLETED, 1700000000 + i);

      pd_transaction_set_account_id (t, pd_account_get_id (f->account));
      g_ptr_array_add (many, t);
    }
  stored = pd_ledger_upsert_transactions_sync (f->ledger, many, "test", NULL, &error);
  g_assert_no_error (error);

  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 50);
  g_assert_cmpint (pd_transactions_page_get_count (f->page), ==, 120);
  g_assert_true (shows_label (f->page, "120 transactions"));
  button = gtk_widget_get_ancestor (find_label (GTK_WIDGET (f->page), "Load More"), GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_mapped (button));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.load-more", NULL));
  WAIT_FOR_ROWS (f, 100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.load-more", NULL));
  WAIT_FOR_ROWS (f, 120);
  {
    g_autoptr(PdTransaction) oldest = shown (f, 119);

    g_assert_cmpstr (pd_transaction_get_reference (oldest), ==, "REF-000");
  }
  /* All read: nothing more to load. */
  g_assert_false (gtk_widget_get_visible (button));

  /* A change keeps what was read, so the list does not jump back. */
  record_new (f, "REF-NEW", NULL, NULL, "4242", PD_STATUS_PENDING, 1800000000);
  WAIT_FOR_ROWS (f, 121);
}

static void
test_paysgator (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = demo_id ("paysgator", "test_transactions", 0);
  PdTransactionDetails *details;

  if (skip_without_keyring ())
    return;

  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.show-look-up", NULL));
  drain ();
  g_assert_nonnull (look_up_says (f, "Type a PaysGator transaction ID. Paydesk asks the gateway for it and keeps the answer here."));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.look-up", "s", id));
  WAIT_FOR (g_strcmp0 (page_state (f), "details") == 0);
  details = PD_TRANSACTION_DETAILS (find_widget (GTK_WIDGET (f->page), PD_TYPE_TRANSACTION_DETAILS, NULL));
  g_assert_cmpint (pd_transaction_get_gateway (pd_transaction_details_get_transaction (details)), ==, PD_GATEWAY_PAYSGATOR);
  g_assert_true (shows_label (details, "TEST"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transactions.back", NULL));
  WAIT_FOR_ROWS (f, 1);
  /* No card: the method names it. */
  g_assert_true (shows_label (f->page, "Wallet payment"));
}

static void
test_no_ledger (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PdAccountSession) without = NULL;

  if (skip_without_keyring ())
    return;

  without = open_session (f->account, f->store, NULL);
  pd_transactions_page_set_session (f->page, without);
  drain ();
  g_assert_cmpstr (page_state (f), ==, "no-ledger");
  g_assert_true (shows_label (f->page, "No Transaction History"));

  /* Back to one with history. */
  pd_transactions_page_set_session (f->page, f->session);
  WAIT_FOR_ROWS (f, 0);
  g_assert_cmpstr (page_state (f), ==, "list");
  pd_transactions_page_set_session (f->page, NULL);
  g_assert_cmpstr (page_state (f), ==, "closed");
  g_assert_finalize_object (g_steal_pointer (&without));
}

/* The application: ledger, sessions and the sandbox's demo data --------------------- */

typedef struct _AppFixture AppFixture;
typedef void (*AppBody) (AppFixture *f);

struct _AppFixture
{
  char           *dir;
  char           *ledger_path;
  GSettings      *gsettings;
  PdSettings     *settings;
  PdAccountStore *store;
  PdApplication  *app;
  PdWindow       *window;
  AppBody         body;
  gboolean        started;
};

static gboolean
app_body_cb (gpointer user_data)
{
  AppFixture *f = user_data;

  g_application_hold (G_APPLICATION (f->app));
  f->window = PD_WINDOW (gtk_application_get_windows (GTK_APPLICATION (f->app))->data);
  WAIT_FOR (pd_application_get_ready (f->app));
  f->body (f);

  {
    GtkWindow *window = GTK_WINDOW (g_steal_pointer (&f->window));
    GListModel *accounts = pd_account_store_get_accounts (f->store);

    for (guint i = 0; have_keyring && i < g_list_model_get_n_items (accounts); i++)
      {
        g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

        secret_password_clear_sync (&test_schema, NULL, NULL, "account-id", pd_account_get_id (account), NULL);
      }
    g_object_ref (window);
    gtk_window_destroy (window);
    drain ();
    g_assert_finalize_object (window);
  }
  g_application_release (G_APPLICATION (f->app));
  g_application_quit (G_APPLICATION (f->app));
  return G_SOURCE_REMOVE;
}

static void
app_activated_cb (GApplication *app,
                  AppFixture   *f)
{
  if (f->started)
    return;
  f->started = TRUE;
  g_idle_add (app_body_cb, f);
}

static void
run_app (const char *ledger_path,
         AppBody     body)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *accounts = NULL;
  char *argv[] = { (char *) "test-transactions-page", NULL };
  AppFixture fixture = { 0, };
  AppFixture *f = &fixture;

  f->dir = g_dir_make_tmp ("app-XXXXXX", &error);
  g_assert_no_error (error);
  accounts = g_build_filename (f->dir, "accounts.ini", NULL);
  f->ledger_path = ledger_path != NULL ? g_strdup (ledger_path) : g_build_filename (f->dir, "ledger.db", NULL);
  f->gsettings = g_settings_new_with_backend (PD_SETTINGS_SCHEMA_ID, backend);
  f->settings = pd_settings_new (f->gsettings);
  f->store = pd_account_store_new (accounts);
  f->app = g_object_new (PD_TYPE_APPLICATION,
                         "application-id", APP_ID,
                         "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE,
                         "settings", f->settings,
                         "account-store", f->store,
                         "ledger-path", f->ledger_path,
                         NULL);
  g_signal_connect_after (f->app, "activate", G_CALLBACK (app_activated_cb), f);
  f->body = body;

  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), 1, argv), ==, EXIT_SUCCESS);
  g_assert_true (f->started);

  drain ();
  g_assert_finalize_object (g_steal_pointer (&f->app));
  g_clear_object (&f->store);
  g_assert_finalize_object (g_steal_pointer (&f->settings));
  g_clear_object (&f->gsettings);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->ledger_path);
}

static PdTransactionsPage *
window_page (AppFixture *f)
{
  return PD_TRANSACTIONS_PAGE (find_widget (GTK_WIDGET (f->window), PD_TYPE_TRANSACTIONS_PAGE, NULL));
}

static guint
count_in_ledger (PdLedger   *ledger,
                 const char *account_id)
{
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new (account_id);
  g_autoptr(GError) error = NULL;
  gint64 count = pd_ledger_count_sync (ledger, filter, NULL, &error);

  g_assert_no_error (error);
  return (guint) count;
}

static PdAccount *
sandbox_account (AppFixture *f,
                 PdGateway   gateway)
{
  GListModel *accounts = pd_account_store_get_accounts (f->store);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      if (pd_account_get_gateway (account) == gateway)
        return account;
    }
  return NULL;
}

/* Demo references and ids, as the app's own sandbox lists them. */
static guint
app_demo_count (AppFixture *f,
                const char *gateway,
                const char *member)
{
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autofree char *origin = pd_sandbox_dup_origin (pd_application_get_sandbox (f->app));
  g_autofree char *url = g_strconcat (origin, "/_sandbox/info", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  /* The app's sandbox answers on this main context: ask asynchronously. */
  soup_session_send_and_read_async (http, message, G_PRIORITY_DEFAULT, NULL, keep_result, &result);
  body = soup_session_send_and_read_finish (http, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error));
  root = json_node_get_object (json_parser_get_root (parser));
  return json_array_get_length (json_object_get_array_member (json_object_get_object_member (root, gateway), member));
}

/* Explores, and waits until both sandbox accounts exist and exploring is done. */
static void
explore (AppFixture *f)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "explore-sandbox", NULL);
  WAIT_FOR (g_list_model_get_n_items (pd_account_store_get_accounts (f->store)) == 2 &&
            g_action_group_get_action_enabled (G_ACTION_GROUP (f->app), "explore-sandbox") &&
            pd_window_get_session (f->window) != NULL);
}

static void
demo_import_body (AppFixture *f)
{
  PdLedger *ledger;
  PdAccount *pesogate;
  PdAccount *paysgator;
  guint n_pesogate;
  guint n_paysgator;
  PdTransactionsPage *page;

  if (skip_without_keyring ())
    return;

  /* Before the ledger is open nobody waits on the disk: it comes by itself. */
  WAIT_FOR (pd_application_get_ledger (f->app) != NULL);
  ledger = pd_application_get_ledger (f->app);
  g_assert_cmpstr (pd_ledger_get_path (ledger), ==, f->ledger_path);

  explore (f);
  pesogate = sandbox_account (f, PD_GATEWAY_PESOGATE);
  paysgator = sandbox_account (f, PD_GATEWAY_PAYSGATOR);
  n_pesogate = app_demo_count (f, "pesogate", "references");
  n_paysgator = app_demo_count (f, "paysgator", "test_transactions");
  g_assert_cmpuint (n_pesogate, >, 0);
  g_assert_cmpuint (n_paysgator, >, 0);

  /* Every demo transaction comes in through the gateway's own answer. */
  WAIT_FOR (count_in_ledger (ledger, pd_account_get_id (pesogate)) == n_pesogate &&
            count_in_ledger (ledger, pd_account_get_id (paysgator)) == n_paysgator);

  /* The window's session is the application's, and the page lists them. */
  page = window_page (f);
  g_assert_true (pd_transactions_page_get_session (page) == pd_window_get_session (f->window));
  g_assert_true (pd_account_session_get_account (pd_window_get_session (f->window)) == pesogate);
  g_assert_cmpuint (pd_account_session_get_refresh_interval (pd_window_get_session (f->window)), ==, 60);
  WAIT_FOR (pd_transactions_page_get_count (page) == n_pesogate);

  /* The settings' interval applies to the open sessions. */
  pd_settings_set_refresh_interval (pd_application_get_settings (f->app), 120);
  g_assert_cmpuint (pd_account_session_get_refresh_interval (pd_window_get_session (f->window)), ==, 120);

  /* Another account: its own session and rows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.select-account", "s",
                                             pd_account_get_id (paysgator)));
  WAIT_FOR (pd_window_get_session (f->window) != NULL &&
            pd_account_session_get_account (pd_window_get_session (f->window)) == paysgator);
  WAIT_FOR (pd_transactions_page_get_count (page) == n_paysgator);

  /* Exploring again imports nothing twice. */
  explore (f);
  run_for (500);
  g_assert_cmpuint (count_in_ledger (ledger, pd_account_get_id (pesogate)), ==, n_pesogate);
}

static void
test_app_demo_import (void)
{
  run_app (NULL, demo_import_body);
}

/* A changed account gets a new session; the old one stops refreshing. */
static void
session_cache_body (AppFixture *f)
{
  g_autoptr(PdAccountSession) first = NULL;
  g_autoptr(PdAccountSession) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdAccount *pesogate;

  if (skip_without_keyring ())
    return;

  explore (f);
  pesogate = sandbox_account (f, PD_GATEWAY_PESOGATE);
  WAIT_FOR (pd_account_session_get_account (pd_window_get_session (f->window)) == pesogate);
  first = g_object_ref (pd_window_get_session (f->window));

  /* Asked again: the same session. */
  pd_application_open_session_async (f->app, pesogate, NULL, keep_result, &result);
  again = pd_application_open_session_finish (f->app, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (again == first);

  /* Its rate limit changes: a new one, for the window too. */
  pd_account_set_rate_limit (pesogate, 50);
  WAIT_FOR (pd_window_get_session (f->window) != NULL && pd_window_get_session (f->window) != first);
  g_assert_cmpuint (pd_pacer_get_limit (pd_account_session_get_pacer (pd_window_get_session (f->window))), ==, 50);
  g_assert_cmpuint (pd_account_session_get_refresh_interval (first), ==, 0);
  g_assert_cmpuint (pd_account_session_get_refresh_interval (pd_window_get_session (f->window)), ==, 60);
}

static void
test_app_session_cache (void)
{
  run_app (NULL, session_cache_body);
}

/* An account whose keys are gone from the keyring: the window says so, and the pages get no session. */
static void
session_error_body (AppFixture *f)
{
  PdAccount *paysgator;

  if (skip_without_keyring ())
    return;

  explore (f);
  paysgator = sandbox_account (f, PD_GATEWAY_PAYSGATOR);
  secret_password_clear_sync (&test_schema, NULL, NULL, "account-id", pd_account_get_id (paysgator), NULL);
  /* Changed too, so no session opened before (the demo import's) is reused. */
  pd_account_set_rate_limit (paysgator, 99);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.select-account", "s",
                                             pd_account_get_id (paysgator)));
  WAIT_FOR (shows_label (f->window, "This account cannot be used right now"));
  g_assert_null (pd_window_get_session (f->window));
  g_assert_null (pd_transactions_page_get_session (window_page (f)));
}

static void
test_app_session_error (void)
{
  run_app (NULL, session_error_body);
}

/* A ledger that cannot be opened: said so, with the detail, and the app works without history. */
static void
ledger_failure_body (AppFixture *f)
{
  PdTransactionsPage *page;

  WAIT_FOR (shows_label (f->window, "Your transaction history could not be opened, so payments are not remembered"));
  g_assert_null (pd_application_get_ledger (f->app));

  if (skip_without_keyring ())
    return;

  explore (f);
  g_assert_null (pd_account_session_get_ledger (pd_window_get_session (f->window)));
  g_assert_nonnull (pd_account_session_get_pesogate (pd_window_get_session (f->window)));
  page = window_page (f);
  WAIT_FOR (shows_label (page, "No Transaction History"));
}

static void
test_app_ledger_failure (void)
{
  g_autofree char *blocker = g_build_filename (tmp_root, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "ledger.db", NULL);

  g_assert_true (g_file_set_contents (blocker, "a file where a folder should be", -1, NULL));
  run_app (path, ledger_failure_body);
  g_remove (blocker);
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

#define ADD_TEST(path, gateway, func) \
  g_test_add ((path), Fixture, GINT_TO_POINTER (gateway), fixture_set_up, (func), fixture_tear_down)

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
  tmp_root = g_dir_make_tmp ("paydesk-transactions-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, xdg_dirs[i][1], NULL);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Its class registers the resources, templates included. */
  g_type_class_unref (g_type_class_ref (PD_TYPE_APPLICATION));
  /* Stack transitions end at once, so what is shown is shown now. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  have_keyring = keyring_is_running ();
  sandbox = pd_test_sandbox_start (TRUE, PD_SANDBOX_DEFAULT_RATE_LIMIT);

  ADD_TEST ("/pd/transactions-page/no-session", PD_GATEWAY_PESOGATE, test_no_session);
  ADD_TEST ("/pd/transactions-page/empty", PD_GATEWAY_PESOGATE, test_empty);
  ADD_TEST ("/pd/transactions-page/rows-appear", PD_GATEWAY_PESOGATE, test_rows_appear);
  ADD_TEST ("/pd/transactions-page/search", PD_GATEWAY_PESOGATE, test_search);
  ADD_TEST ("/pd/transactions-page/status-filter", PD_GATEWAY_PESOGATE, test_status_filter);
  ADD_TEST ("/pd/transactions-page/look-up", PD_GATEWAY_PESOGATE, test_look_up);
  ADD_TEST ("/pd/transactions-page/details", PD_GATEWAY_PESOGATE, test_details);
  ADD_TEST ("/pd/transactions-page/details-live", PD_GATEWAY_PESOGATE, test_details_live);
  ADD_TEST ("/pd/transactions-page/load-more", PD_GATEWAY_PESOGATE, test_load_more);
  ADD_TEST ("/pd/transactions-page/paysgator", PD_GATEWAY_PAYSGATOR, test_paysgator);
  ADD_TEST ("/pd/transactions-page/no-ledger", PD_GATEWAY_PESOGATE, test_no_ledger);
  g_test_add_func ("/pd/application/demo-import", test_app_demo_import);
  g_test_add_func ("/pd/application/session-cache", test_app_session_cache);
  g_test_add_func ("/pd/application/ledger-failure", test_app_ledger_failure);
  g_test_add_func ("/pd/application/session-error", test_app_session_error);

  status = g_test_run ();
  pd_test_sandbox_stop (sandbox);
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
