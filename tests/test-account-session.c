/* test-account-session.c: open accounts, the ledger, and the background refresh
 *
 * Against the in-process sandbox over real HTTP, a real SQLite ledger in a
 * temporary folder, and the real keyring of the test session (the private,
 * unlocked gnome-keyring of `build-aux/dev test`, see TESTING.md): tests
 * that need it are skipped, and say so, without one. The locked-keyring
 * case brings its own private D-Bus and gnome-keyring in a subprocess.
 */
#define G_LOG_DOMAIN "test-account-session"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "pd-account-session.h"
#include "pd-error.h"
#include "pd-test-sandbox.h"

#define PRIVATE_KEYRING_PASSWORD "paydesk-session-test"

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
  PdAccountStore *store;
  PdLedger       *ledger;
  GPtrArray      *account_ids;
} Fixture;

/* Helpers ------------------------------------------------------------------- */

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond holds; fails after @seconds. */
#define WAIT_FOR_WITHIN(cond, seconds) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (10, keep_waking, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

#define WAIT_FOR(cond) WAIT_FOR_WITHIN (cond, 20)

static gboolean
deadline_passed_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main context run for @ms, as a session's timers need. */
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

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_root, name, NULL);
}

static gboolean
installed (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
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

static PdAccount *
new_account (PdGateway gateway)
{
  PdAccount *account;

  if (gateway == PD_GATEWAY_PESOGATE)
    {
      static const char * const providers[] = { PD_ACCOUNT_PROVIDER_CYBERSOURCE, PD_ACCOUNT_PROVIDER_MPGS, NULL };

      account = pd_account_new (gateway, "Corner Shop");
      pd_account_set_base_url (account, pd_test_sandbox_pesogate_url (sandbox));
      pd_account_set_providers (account, providers);
      pd_account_set_mode (account, PD_MODE_TEST);
    }
  else
    {
      account = pd_account_new (gateway, "Wallet Shop");
      pd_account_set_base_url (account, pd_test_sandbox_paysgator_url (sandbox));
    }
  pd_account_set_sandbox (account, TRUE);
  return account;
}

static gboolean
store_add (PdAccountStore  *store,
           PdAccount       *account,
           const char      *api_key,
           const char      *api_secret,
           GError         **error)
{
  g_autoptr(PdAccountSecrets) secrets = pd_account_secrets_new (api_key, api_secret);
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_store_add_async (store, account, secrets, NULL, keep_result, &result);
  return pd_account_store_add_finish (store, await_result (&result), error);
}

/* An account of @gateway in the fixture's store, with the sandbox's keys
 * unless others are given. */
static PdAccount *
add_account (Fixture    *f,
             PdGateway   gateway,
             const char *api_key,
             const char *api_secret)
{
  g_autoptr(PdAccount) account = new_account (gateway);
  g_autoptr(GError) error = NULL;

  if (api_key == NULL && gateway == PD_GATEWAY_PESOGATE)
    {
      api_key = PD_SANDBOX_PESOGATE_API_KEY;
      api_secret = PD_SANDBOX_PESOGATE_API_SECRET;
    }
  else if (api_key == NULL)
    api_key = PD_SANDBOX_PAYSGATOR_TEST_KEY;

  g_assert_true (store_add (f->store, account, api_key, api_secret, &error));
  g_assert_no_error (error);
  g_ptr_array_add (f->account_ids, g_strdup (pd_account_get_id (account)));
  return g_steal_pointer (&account);
}

static PdAccountSession *
open_session (PdAccount       *account,
              PdAccountStore  *store,
              PdLedger        *ledger,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_session_open_async (account, store, ledger, NULL, keep_result, &result);
  return pd_account_session_open_finish (await_result (&result), error);
}

static PdAccountSession *
open_ok (Fixture   *f,
         PdAccount *account)
{
  g_autoptr(GError) error = NULL;
  PdAccountSession *session = open_session (account, f->store, f->ledger, &error);

  g_assert_no_error (error);
  g_assert_true (PD_IS_ACCOUNT_SESSION (session));
  return session;
}

static PdTransaction *
record (PdAccountSession  *session,
        PdTransaction     *transaction,
        const char        *note,
        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_session_record_async (session, transaction, note, NULL, keep_result, &result);
  return pd_account_session_record_finish (session, await_result (&result), error);
}

static PdTransaction *
look_up (PdAccountSession  *session,
         const char        *reference,
         PdHttpFlags        flags,
         GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_session_look_up_async (session, reference, flags, "lookup", NULL, keep_result, &result);
  return pd_account_session_look_up_finish (session, await_result (&result), error);
}

static PdTransaction *
find_in_ledger (PdLedger   *ledger,
                const char *account_id,
                const char *reference)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransaction *found;

  pd_ledger_find_transaction_async (ledger, account_id, reference, NULL, keep_result, &result);
  found = pd_ledger_find_transaction_finish (ledger, await_result (&result), &error);
  g_assert_no_error (error);
  return found;
}

static GListModel *
events_of (PdLedger   *ledger,
           const char *account_id,
           const char *reference)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *events;

  pd_ledger_list_events_async (ledger, account_id, reference, NULL, keep_result, &result);
  events = pd_ledger_list_events_finish (ledger, await_result (&result), &error);
  g_assert_no_error (error);
  return events;
}

static void
collect_changed_cb (PdAccountSession *session,
                    PdTransaction    *transaction,
                    GPtrArray        *changes)
{
  g_assert_true (PD_IS_TRANSACTION (transaction));
  g_ptr_array_add (changes, g_object_ref (transaction));
}

/* How many GETs of @path_prefix the sandbox answered, and how many of them with @status (0: any). */
static guint
count_requests (const char *path_prefix,
                guint       status)
{
  g_autoptr(JsonArray) requests = pd_test_sandbox_requests (sandbox, path_prefix);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      if (status == 0 || json_object_get_int_member (entry, "status") == status)
        n++;
    }
  return n;
}

static char *
status_path (const char *reference)
{
  return g_strdup_printf (PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH "/payments/%s/status", reference);
}

/* A payment of 12.50 USD through MPGS whose 3-D Secure page was opened, so
 * it is pending: its reference, and its challenge token in @token. */
static char *
start_pending_payment (char **token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GRegex) creq = g_regex_new ("name=\"creq\" value=\"([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(PdTestResponse) init = NULL;
  g_autoptr(PdTestResponse) acs = NULL;
  g_autofree char *order_id = g_strdup_printf ("SESSION-%08x", g_random_int ());
  g_autofree char *body = NULL;
  g_autofree char *form = NULL;
  JsonObject *answer;

  body = g_strdup_printf ("{\"order_id\": \"%s\", \"amount\": 12.50, \"currency\": \"USD\","
                          " \"payment_provider\": \"mpgs\", \"card_number\": \"4242424242424242\","
                          " \"exp_month\": \"12\", \"exp_year\": \"%d\", \"cvv\": \"123\","
                          " \"customer_name\": \"Amina Mwangi\", \"customer_email\": \"amina@example.com\"}",
                          order_id, g_date_time_get_year (now) + 3);
  init = pd_test_pesogate (sandbox, "POST", "/payments/initialize", body);
  g_assert_cmpuint (init->status, ==, 200);
  answer = pd_test_response_object (init);
  g_assert_cmpstr (json_object_get_string_member (answer, "action"), ==, "render_html");
  g_assert_true (g_regex_match (creq, json_object_get_string_member (answer, "html_content"), 0, &match));
  *token = g_match_info_fetch (match, 1);

  /* The browser posts the challenge request to the ACS: the payer is at the challenge now. */
  form = g_strdup_printf ("creq=%s", *token);
  acs = pd_test_http (sandbox, "POST", PD_SANDBOX_PESOGATE_PREFIX "/3ds/acs",
                      "application/x-www-form-urlencoded", form, NULL);
  g_assert_cmpuint (acs->status, ==, 200);
  return g_strdup (json_object_get_string_member (answer, "transaction_reference"));
}

/* The payer types the code and submits, as in the ACS page. */
static void
finish_challenge (const char *token)
{
  g_autofree char *form = g_strdup_printf ("creq=%s&otp=1234&action=submit", token);
  g_autoptr(PdTestResponse) done = NULL;

  done = pd_test_http (sandbox, "POST", PD_SANDBOX_PESOGATE_PREFIX "/3ds/acs/complete",
                       "application/x-www-form-urlencoded", form, NULL);
  g_assert_no_error (done->error);
  g_assert_cmpuint (done->status, ==, 200);
}

/* Fixture ------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *name = g_strdup_printf ("session-%08x", g_random_int ());
  g_autofree char *accounts = g_build_filename (tmp_root, "config", name, "accounts.ini", NULL);
  g_autofree char *ledger = g_build_filename (tmp_root, "data", name, "ledger.db", NULL);
  g_autoptr(GError) error = NULL;

  f->store = pd_account_store_new (accounts);
  f->ledger = pd_ledger_new_sync (ledger, NULL, &error);
  g_assert_no_error (error);
  f->account_ids = g_ptr_array_new_with_free_func (g_free);
  pd_test_sandbox_clear_requests (sandbox);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; have_keyring && i < f->account_ids->len; i++)
    secret_password_clear_sync (&test_schema, NULL, NULL,
                                "account-id", g_ptr_array_index (f->account_ids, i),
                                NULL);
  g_clear_pointer (&f->account_ids, g_ptr_array_unref);
  g_assert_true (pd_ledger_close_sync (f->ledger, NULL, NULL));
  assert_finalized_soon (g_steal_pointer (&f->ledger));
  g_assert_finalize_object (g_steal_pointer (&f->store));
}

/* Tests ----------------------------------------------------------------------- */

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(PdAccount) pesogate = NULL;
  g_autoptr(PdAccount) paysgator = NULL;
  PdAccountSession *session;

  if (skip_without_keyring ())
    return;

  pesogate = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  pd_account_set_rate_limit (pesogate, 60);
  session = open_ok (f, pesogate);
  g_assert_true (pd_account_session_get_account (session) == pesogate);
  g_assert_true (pd_account_session_get_ledger (session) == f->ledger);
  g_assert_nonnull (pd_account_session_get_pesogate (session));
  g_assert_null (pd_account_session_get_paysgator (session));
  /* One pacer, at the account's limit, is the client's. */
  g_assert_cmpuint (pd_pacer_get_limit (pd_account_session_get_pacer (session)), ==, 60);
  g_assert_cmpuint (pd_pacer_get_window_ms (pd_account_session_get_pacer (session)), ==, PD_PACER_DEFAULT_WINDOW_MS);
  g_assert_true (pd_http_get_pacer (pd_pesogate_get_http (pd_account_session_get_pesogate (session))) ==
                 pd_account_session_get_pacer (session));
  g_assert_cmpuint (pd_account_session_get_refresh_interval (session), ==, 0);
  assert_finalized_soon (session);

  paysgator = add_account (f, PD_GATEWAY_PAYSGATOR, NULL, NULL);
  session = open_ok (f, paysgator);
  g_assert_null (pd_account_session_get_pesogate (session));
  g_assert_nonnull (pd_account_session_get_paysgator (session));
  g_assert_cmpuint (pd_pacer_get_limit (pd_account_session_get_pacer (session)), ==, PD_ACCOUNT_DEFAULT_RATE_LIMIT);
  g_assert_true (pd_http_get_pacer (pd_paysgator_get_http (pd_account_session_get_paysgator (session))) ==
                 pd_account_session_get_pacer (session));
  assert_finalized_soon (session);
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdTransaction) again = NULL;
  g_autoptr(PdTransaction) found = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdLedgerEvent) first = NULL;
  g_autoptr(PdLedgerEvent) second = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PdAccountSession *session;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  session = open_ok (f, account);
  g_signal_connect (session, "transaction-changed", G_CALLBACK (collect_changed_cb), changes);

  /* Account and gateway come from the session. */
  pd_transaction_set_reference (transaction, "REF-RECORD-1");
  pd_transaction_set_order_id (transaction, "ORDER-1");
  pd_transaction_set_amount (transaction, 1250);
  pd_transaction_set_currency (transaction, "USD");
  pd_transaction_set_status (transaction, PD_STATUS_INITIALIZED);
  pd_transaction_set_gateway_status (transaction, "initialized");
  pd_transaction_set_card_brand (transaction, "visa");
  pd_transaction_set_card_last_four (transaction, "4242");
  stored = record (session, transaction, "payment started", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_transaction_get_account_id (stored), ==, pd_account_get_id (account));
  g_assert_cmpint (pd_transaction_get_gateway (stored), ==, PD_GATEWAY_PESOGATE);
  g_assert_cmpint (pd_transaction_get_mode (stored), ==, PD_MODE_TEST);
  g_assert_cmpint (pd_transaction_get_ledger_id (stored), >, 0);
  g_assert_null (pd_transaction_get_account_id (transaction));
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (pd_transaction_get_reference (changes->pdata[0]), ==, "REF-RECORD-1");

  /* A new status: a timeline event with the note. */
  pd_transaction_set_status (transaction, PD_STATUS_COMPLETED);
  pd_transaction_set_gateway_status (transaction, "completed");
  again = record (session, transaction, "status check", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (again), ==, PD_STATUS_COMPLETED);
  g_assert_cmpint (pd_transaction_get_ledger_id (again), ==, pd_transaction_get_ledger_id (stored));
  g_assert_cmpuint (changes->len, ==, 2);

  found = find_in_ledger (f->ledger, pd_account_get_id (account), "REF-RECORD-1");
  g_assert_nonnull (found);
  g_assert_cmpstr (pd_transaction_get_card_last_four (found), ==, "4242");
  events = events_of (f->ledger, pd_account_get_id (account), "REF-RECORD-1");
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  first = g_list_model_get_item (events, 0);
  second = g_list_model_get_item (events, 1);
  g_assert_cmpint (pd_ledger_event_get_kind (first), ==, PD_LEDGER_EVENT_CREATED);
  g_assert_cmpstr (pd_ledger_event_get_note (first), ==, "payment started");
  g_assert_cmpint (pd_ledger_event_get_kind (second), ==, PD_LEDGER_EVENT_STATUS_CHANGED);
  g_assert_cmpint (pd_ledger_event_get_status (second), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_ledger_event_get_note (second), ==, "status check");

  /* What the ledger refuses is an error, and no signal. */
  g_clear_object (&again);
  pd_transaction_set_reference (transaction, NULL);
  again = record (session, transaction, "no reference", &error);
  g_assert_null (again);
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_assert_cmpuint (changes->len, ==, 2);

  assert_finalized_soon (session);
}

static void
test_without_ledger (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();
  g_autoptr(PdTransaction) recorded = NULL;
  g_autoptr(PdTransaction) looked_up = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) references = NULL;
  g_autoptr(PdTestResponse) info = NULL;
  JsonArray *demo;
  PdAccountSession *session;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  session = open_session (account, f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (pd_account_session_get_ledger (session));

  pd_transaction_set_reference (transaction, "REF-NO-LEDGER");
  recorded = record (session, transaction, "payment started", &error);
  g_assert_null (recorded);
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED);
  g_clear_error (&error);

  /* A lookup still answers, unrecorded. */
  info = pd_test_http (sandbox, "GET", "/_sandbox/info", NULL, NULL, NULL);
  demo = json_object_get_array_member (json_object_get_object_member (pd_test_response_object (info), "pesogate"),
                                       "references");
  looked_up = look_up (session, json_array_get_string_element (demo, 0), PD_HTTP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_transaction_get_reference (looked_up), ==, json_array_get_string_element (demo, 0));
  g_assert_cmpint (pd_transaction_get_ledger_id (looked_up), ==, 0);

  /* The refresh has nothing to read: it does nothing, and asks nothing. */
  pd_test_sandbox_clear_requests (sandbox);
  pd_account_session_set_refresh_interval (session, 1);
  run_for (1500);
  g_assert_cmpuint (count_requests (PD_SANDBOX_PESOGATE_PREFIX, 0), ==, 0);

  assert_finalized_soon (session);
}

static void
test_look_up (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PdAccount) pesogate = NULL;
  g_autoptr(PdAccount) paysgator = NULL;
  g_autoptr(PdTestResponse) info = NULL;
  g_autoptr(PdTransaction) card = NULL;
  g_autoptr(PdTransaction) wallet = NULL;
  g_autoptr(PdTransaction) missing = NULL;
  g_autoptr(PdTransaction) in_ledger = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdLedgerEvent) created = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  const char *reference;
  const char *wallet_id;
  PdAccountSession *peso_session;
  PdAccountSession *pays_session;

  if (skip_without_keyring ())
    return;

  info = pd_test_http (sandbox, "GET", "/_sandbox/info", NULL, NULL, NULL);
  root = pd_test_response_object (info);
  reference = json_array_get_string_element (json_object_get_array_member (json_object_get_object_member (root, "pesogate"),
                                                                          "references"), 0);
  wallet_id = json_array_get_string_element (json_object_get_array_member (json_object_get_object_member (root, "paysgator"),
                                                                          "test_transactions"), 0);

  pesogate = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  peso_session = open_ok (f, pesogate);
  g_signal_connect (peso_session, "transaction-changed", G_CALLBACK (collect_changed_cb), changes);

  card = look_up (peso_session, reference, PD_HTTP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_transaction_get_reference (card), ==, reference);
  g_assert_cmpstr (pd_transaction_get_account_id (card), ==, pd_account_get_id (pesogate));
  g_assert_cmpint (pd_transaction_get_ledger_id (card), >, 0);
  g_assert_cmpint (pd_transaction_get_mode (card), ==, PD_MODE_TEST);
  g_assert_nonnull (pd_transaction_get_currency (card));
  g_assert_cmpint (pd_transaction_get_amount (card), >, 0);
  /* Brand and last four only. */
  g_assert_cmpuint (strlen (pd_transaction_get_card_last_four (card)), ==, 4);
  g_assert_cmpuint (changes->len, ==, 1);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (pesogate), reference);
  g_assert_nonnull (in_ledger);
  events = events_of (f->ledger, pd_account_get_id (pesogate), reference);
  created = g_list_model_get_item (events, 0);
  g_assert_cmpstr (pd_ledger_event_get_note (created), ==, "lookup");

  /* The gateway does not know it: an error, nothing recorded. */
  missing = look_up (peso_session, "00000000-0000-4000-8000-000000000000", PD_HTTP_FLAGS_NONE, &error);
  g_assert_null (missing);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_clear_object (&in_ledger);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (pesogate), "00000000-0000-4000-8000-000000000000");
  g_assert_null (in_ledger);

  paysgator = add_account (f, PD_GATEWAY_PAYSGATOR, NULL, NULL);
  pays_session = open_ok (f, paysgator);
  wallet = look_up (pays_session, wallet_id, PD_HTTP_FLAGS_BACKGROUND, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_transaction_get_reference (wallet), ==, wallet_id);
  g_assert_cmpint (pd_transaction_get_gateway (wallet), ==, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpint (pd_transaction_get_mode (wallet), ==, PD_MODE_TEST);
  g_clear_object (&in_ledger);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (paysgator), wallet_id);
  g_assert_nonnull (in_ledger);
  /* Each account's rows are its own. */
  g_clear_object (&in_ledger);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (pesogate), wallet_id);
  g_assert_null (in_ledger);

  g_assert_finalize_object (peso_session);
  g_assert_finalize_object (pays_session);
}

static void
test_background_refresh (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) pending = NULL;
  g_autoptr(PdTransaction) in_ledger = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdLedgerEvent) last = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *path = NULL;
  PdAccountSession *session;
  guint asked;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  session = open_ok (f, account);
  g_signal_connect (session, "transaction-changed", G_CALLBACK (collect_changed_cb), changes);

  reference = start_pending_payment (&token);
  path = status_path (reference);
  pending = look_up (session, reference, PD_HTTP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (pending), ==, PD_STATUS_PENDING);
  g_assert_cmpuint (changes->len, ==, 1);

  /* While the payer is at the challenge, the refresh asks and nothing changes. */
  pd_test_sandbox_clear_requests (sandbox);
  pd_account_session_set_refresh_interval (session, 1);
  g_assert_cmpuint (pd_account_session_get_refresh_interval (session), ==, 1);
  WAIT_FOR (count_requests (path, 200) >= 1);
  g_assert_cmpuint (changes->len, ==, 1);

  /* The payer passes the challenge; the next round finds it completed. */
  finish_challenge (token);
  WAIT_FOR (changes->len == 2);
  g_assert_cmpstr (pd_transaction_get_reference (changes->pdata[1]), ==, reference);
  g_assert_cmpint (pd_transaction_get_status (changes->pdata[1]), ==, PD_STATUS_COMPLETED);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (account), reference);
  g_assert_cmpint (pd_transaction_get_status (in_ledger), ==, PD_STATUS_COMPLETED);
  g_assert_cmpint (pd_transaction_get_completed_at (in_ledger), >, 0);
  events = events_of (f->ledger, pd_account_get_id (account), reference);
  last = g_list_model_get_item (events, g_list_model_get_n_items (events) - 1);
  g_assert_cmpint (pd_ledger_event_get_kind (last), ==, PD_LEDGER_EVENT_STATUS_CHANGED);
  g_assert_cmpint (pd_ledger_event_get_status (last), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_ledger_event_get_note (last), ==, "background refresh");

  /* Final now: never asked again. */
  run_for (300);
  asked = count_requests (path, 0);
  run_for (2500);
  g_assert_cmpuint (count_requests (path, 0), ==, asked);
  g_assert_cmpuint (changes->len, ==, 2);
  /* And the refresh never caused a 429. */
  g_assert_cmpuint (count_requests (PD_SANDBOX_PESOGATE_PREFIX, 429), ==, 0);

  assert_finalized_soon (session);
}

/* Interval 0 and dropping the session both stop the refresh. */
static void
test_refresh_stops (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *path = NULL;
  PdAccountSession *session;
  guint asked;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  session = open_ok (f, account);
  reference = start_pending_payment (&token);
  path = status_path (reference);
  pending = look_up (session, reference, PD_HTTP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  pd_test_sandbox_clear_requests (sandbox);
  pd_account_session_set_refresh_interval (session, 1);
  WAIT_FOR (count_requests (path, 0) >= 1);
  pd_account_session_set_refresh_interval (session, 0);
  run_for (200);
  asked = count_requests (path, 0);
  run_for (2500);
  g_assert_cmpuint (count_requests (path, 0), ==, asked);

  pd_account_session_set_refresh_interval (session, 1);
  WAIT_FOR (count_requests (path, 0) > asked);
  assert_finalized_soon (session);
  run_for (200);
  asked = count_requests (path, 0);
  run_for (2500);
  g_assert_cmpuint (count_requests (path, 0), ==, asked);
}

/* Wrong keys: every round fails with a 401, is logged and retried; nothing breaks. */
static void
test_refresh_wrong_keys (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdTransaction) in_ledger = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *path = NULL;
  PdAccountSession *session;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, "pk_wrong_key", "sk_wrong_secret");
  session = open_ok (f, account);
  g_signal_connect (session, "transaction-changed", G_CALLBACK (collect_changed_cb), changes);

  reference = start_pending_payment (&token);
  path = status_path (reference);
  pd_transaction_set_reference (transaction, reference);
  pd_transaction_set_status (transaction, PD_STATUS_PENDING);
  pd_transaction_set_gateway_status (transaction, "pending");
  stored = record (session, transaction, "payment started", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);

  pd_test_sandbox_clear_requests (sandbox);
  pd_account_session_set_refresh_interval (session, 1);
  /* Retried at the next round. */
  WAIT_FOR (count_requests (path, 401) >= 2);
  g_assert_cmpuint (count_requests (path, 200), ==, 0);
  g_assert_cmpuint (changes->len, ==, 1);
  in_ledger = find_in_ledger (f->ledger, pd_account_get_id (account), reference);
  g_assert_cmpint (pd_transaction_get_status (in_ledger), ==, PD_STATUS_PENDING);

  /* A lookup by a person says why. */
  g_clear_object (&stored);
  stored = look_up (session, reference, PD_HTTP_FLAGS_NONE, &error);
  g_assert_null (stored);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "pk_wrong_key"));

  assert_finalized_soon (session);
}

/* A reference the gateway does not know is asked once, then left alone. */
static void
test_refresh_unknown_reference (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = status_path ("11111111-2222-4333-8444-555555555555");
  PdAccountSession *session;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  session = open_ok (f, account);
  pd_transaction_set_reference (transaction, "11111111-2222-4333-8444-555555555555");
  pd_transaction_set_status (transaction, PD_STATUS_PENDING);
  stored = record (session, transaction, "from an old sandbox", &error);
  g_assert_no_error (error);

  pd_account_session_set_refresh_interval (session, 1);
  WAIT_FOR (count_requests (path, 404) == 1);
  run_for (2500);
  g_assert_cmpuint (count_requests (path, 0), ==, 1);

  assert_finalized_soon (session);
}

static void
test_open_missing_secrets (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccountSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PESOGATE, NULL, NULL);
  /* Someone removed the keys with the keyring's own tools. */
  g_assert_true (secret_password_clear_sync (&test_schema, NULL, &error,
                                             "account-id", pd_account_get_id (account),
                                             NULL));
  g_assert_no_error (error);

  session = open_session (account, f->store, f->ledger, &error);
  g_assert_null (session);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_open_insecure_url (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccountSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_keyring ())
    return;

  account = add_account (f, PD_GATEWAY_PAYSGATOR, NULL, NULL);
  /* Changed after it was saved: the client refuses it, and the secret goes nowhere. */
  pd_account_set_base_url (account, "http://paysgator.example/api/v1");
  session = open_session (account, f->store, f->ledger, &error);
  g_assert_null (session);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INSECURE_URL);
  g_assert_null (strstr (error->message, PD_SANDBOX_PAYSGATOR_TEST_KEY));
}

/* A locked keyring, on a private bus ----------------------------------------- */

static GVariant *
secret_service_call (GDBusConnection *bus,
                     const char      *method,
                     GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", method, parameters, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* Kept up to the end of the process: libsecret holds on to its connection. */
static GTestDBus *private_bus;

/* gnome-keyring on a private bus, its login keyring created and unlocked. */
static GSubprocess *
start_private_keyring (void)
{
  g_autofree char *home = tmp_path ("locked-home");
  g_autofree char *runtime_dir = tmp_path ("locked-run");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  GOutputStream *input;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  private_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (private_bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* It warns that it cannot show a prompt: that must not kill it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                        "--foreground", "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  input = g_subprocess_get_stdin_pipe (daemon);
  g_output_stream_write_all (input, PRIVATE_KEYRING_PASSWORD, strlen (PRIVATE_KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (owned)
        {
          g_autoptr(GVariant) alias = secret_service_call (bus, "ReadAlias", g_variant_new ("(s)", "default"));
          const char *path = "/";

          g_variant_get (alias, "(&o)", &path);
          if (!g_str_equal (path, "/"))
            break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  return g_steal_pointer (&daemon);
}

static void
test_open_locked (void)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(PdAccountStore) store = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccountSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GList *collections;

  if (!g_test_subprocess ())
    {
      if (!installed ("gnome-keyring-daemon") || !installed ("dbus-daemon"))
        {
          g_test_skip ("gnome-keyring-daemon or dbus-daemon is not installed");
          return;
        }
      g_test_trap_subprocess (NULL, 50 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  daemon = start_private_keyring ();
  path = tmp_path ("locked/accounts.ini");
  store = pd_account_store_new (path);
  /* The prompt fails at once here; the deadline is there in case it does not. */
  pd_account_store_set_keyring_timeout (store, 10);
  /* No sandbox in this process: the account is never asked anything. */
  account = pd_account_new (PD_GATEWAY_PESOGATE, "Locked Shop");
  g_assert_true (store_add (store, account, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  collections = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, collections, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (collections);

  session = open_session (account, store, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED);
  g_assert_null (strstr (error->message, PD_SANDBOX_PESOGATE_API_KEY));

  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
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

#define ADD_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

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
  tmp_root = g_dir_make_tmp ("paydesk-session-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = tmp_path (xdg_dirs[i][1]);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/account-session/open-locked", test_open_locked);
  if (g_test_subprocess ())
    {
      status = g_test_run ();
      remove_tree (tmp_root);
      g_free (tmp_root);
      return status;
    }

  have_keyring = keyring_is_running ();
  sandbox = pd_test_sandbox_start (TRUE, PD_SANDBOX_DEFAULT_RATE_LIMIT);

  ADD_TEST ("/pd/account-session/open", test_open);
  ADD_TEST ("/pd/account-session/record", test_record);
  ADD_TEST ("/pd/account-session/without-ledger", test_without_ledger);
  ADD_TEST ("/pd/account-session/look-up", test_look_up);
  ADD_TEST ("/pd/account-session/background-refresh", test_background_refresh);
  ADD_TEST ("/pd/account-session/refresh-stops", test_refresh_stops);
  ADD_TEST ("/pd/account-session/refresh-wrong-keys", test_refresh_wrong_keys);
  ADD_TEST ("/pd/account-session/refresh-unknown-reference", test_refresh_unknown_reference);
  ADD_TEST ("/pd/account-session/open-missing-secrets", test_open_missing_secrets);
  ADD_TEST ("/pd/account-session/open-insecure-url", test_open_insecure_url);

  status = g_test_run ();
  pd_test_sandbox_stop (sandbox);
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
