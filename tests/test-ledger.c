/* test-ledger: the models and the SQLite ledger, through the async API, on real files */
#define G_LOG_DOMAIN "test-ledger"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger-crash-writer-path.h"
#include "pd-ledger-private.h"
#include "pd-wallet.h"

static GThread *main_thread;

/* Async plumbing: every callback must come back to the thread that asked. */

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_true (g_thread_self () == main_thread);
  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pd-ledger-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_chmod (path, 0700);
  g_remove (path);
}

static PdLedger *
open_ledger (const char  *path,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_ledger_new_async (path, NULL, store_result, &result);

  return pd_ledger_new_finish (wait_for (&result), error);
}

/* Closes @ledger and waits until the last reference, possibly held by the
 * worker's last task for a moment, is gone. */
static void
close_ledger (PdLedger *ledger)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GWeakRef weak;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  pd_ledger_close_async (ledger, NULL, store_result, &result);
  g_assert_true (pd_ledger_close_finish (ledger, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_weak_ref_init (&weak, ledger);
  g_object_unref (ledger);
  for (;;)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_object (&alive);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_weak_ref_clear (&weak);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
assert_integrity (const char *path)
{
  sqlite3 *db = open_raw (path);
  g_autofree char *integrity = raw_text (db, "PRAGMA integrity_check");

  g_assert_cmpstr (integrity, ==, "ok");
  /* The trigram index's own structure check. */
  raw_exec (db, "INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')");
  sqlite3_close (db);
}

/* Per-test ledger in a fresh directory. */
typedef struct
{
  char     *dir;
  char     *path;
  PdLedger *ledger;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = make_temp_dir ();
  fixture->path = g_build_filename (fixture->dir, "ledger.db", NULL);
  fixture->ledger = open_ledger (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->ledger);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->ledger != NULL)
    close_ledger (g_steal_pointer (&fixture->ledger));
  assert_integrity (fixture->path);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static PdTransaction *
make_transaction (const char *account_id,
                  const char *reference,
                  PdStatus    status)
{
  PdTransaction *transaction = pd_transaction_new ();

  g_object_set (transaction,
                "account-id", account_id,
                "reference", reference,
                "status", status,
                "gateway-status", pd_status_to_key (status),
                NULL);

  return transaction;
}

static PdTransaction *
upsert (PdLedger      *ledger,
        PdTransaction *transaction,
        const char    *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransaction *stored;

  pd_ledger_upsert_transaction_async (ledger, transaction, source, NULL, store_result, &result);
  stored = pd_ledger_upsert_transaction_finish (ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);

  return stored;
}

static void
upsert_many (PdLedger  *ledger,
             GPtrArray *transactions,
             GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  pd_ledger_upsert_transactions_async (ledger, transactions, "test", NULL, store_result, &result);
  stored = pd_ledger_upsert_transactions_finish (ledger, wait_for (&result), error);
  if (stored != NULL)
    {
      g_assert_cmpuint (stored->len, ==, transactions->len);
      for (guint i = 0; i < stored->len; i++)
        pd_transaction_set_ledger_id (transactions->pdata[i],
                                      pd_transaction_get_ledger_id (stored->pdata[i]));
    }
}

static PdTransaction *
find (PdLedger   *ledger,
      const char *account_id,
      const char *reference)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdTransaction *found;

  pd_ledger_find_transaction_async (ledger, account_id, reference, NULL, store_result, &result);
  found = pd_ledger_find_transaction_finish (ledger, wait_for (&result), &error);
  g_assert_no_error (error);

  return found;
}

static GListModel *
list_events (PdLedger   *ledger,
             const char *account_id,
             const char *reference)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *events;

  pd_ledger_list_events_async (ledger, account_id, reference, NULL, store_result, &result);
  events = pd_ledger_list_events_finish (ledger, wait_for (&result), &error);
  g_assert_no_error (error);

  return events;
}

static GListModel *
query (PdLedger       *ledger,
       PdLedgerFilter *filter,
       guint           offset,
       guint           limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *page;

  pd_ledger_query_async (ledger, filter, offset, limit, NULL, store_result, &result);
  page = pd_ledger_query_finish (ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);

  return page;
}

static gint64
count (PdLedger       *ledger,
       PdLedgerFilter *filter)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  pd_ledger_count_async (ledger, filter, NULL, store_result, &result);
  n = pd_ledger_count_finish (ledger, wait_for (&result), &error);
  g_assert_no_error (error);

  return n;
}

/* Opening */

static void
test_open_creates_and_migrates (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "deeper", "folder", "ledger.db", NULL);
  g_autofree char *empty_path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ref-1", PD_STATUS_PENDING);
  PdLedger *ledger;
  sqlite3 *db;

  /* A missing file in a missing folder. */
  ledger = open_ledger (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_ledger_get_path (ledger), ==, path);
  g_object_unref (upsert (ledger, transaction, "test"));
  close_ledger (ledger);

  db = open_raw (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, 0x50644c67);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                " ('transactions', 'status_events', 'refunds', 'payment_links',"
                                " 'subscriptions', 'transactions_search')"), ==, 6);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM transactions"), ==, 1);
  {
    g_autofree char *mode = raw_text (db, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "wal");
  }
  sqlite3_close (db);

  /* Reopening keeps the rows and applies nothing twice. */
  ledger = open_ledger (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PdTransaction) found = find (ledger, "acct", "ref-1");

    g_assert_nonnull (found);
    g_assert_cmpint (pd_transaction_get_status (found), ==, PD_STATUS_PENDING);
  }
  close_ledger (ledger);
  db = open_raw (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 1);
  sqlite3_close (db);

  /* An existing empty file is an empty database. */
  g_assert_true (g_file_set_contents (empty_path, "", 0, NULL));
  ledger = open_ledger (empty_path, &error);
  g_assert_no_error (error);
  close_ledger (ledger);
  assert_integrity (empty_path);

  remove_tree (dir);
}

static void
test_open_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "paydesk", "ledger.db", NULL);
  g_autofree char *path = pd_ledger_get_default_path ();
  g_autoptr(GError) error = NULL;
  PdLedger *ledger;

  g_assert_cmpstr (path, ==, expected);

  /* G_TEST_OPTION_ISOLATE_DIRS: this data dir is the test's own. */
  ledger = open_ledger (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_ledger_get_path (ledger), ==, expected);
  close_ledger (ledger);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_open_sync (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "ledger.db", NULL);
  g_autoptr(GError) error = NULL;
  PdLedger *ledger = pd_ledger_new_sync (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (PD_IS_LEDGER (ledger));
  g_assert_true (pd_ledger_close_sync (ledger, NULL, &error));
  g_assert_no_error (error);
  close_ledger (ledger);
  remove_tree (dir);
}

static void
assert_open_fails (const char *path,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  PdLedger *ledger = open_ledger (path, &error);

  g_assert_null (ledger);
  g_assert_error (error, PD_LEDGER_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
}

static void
test_open_not_a_database (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *garbage = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *foreign = g_build_filename (dir, "foreign.db", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  for (int i = 0; i < 200; i++)
    g_string_append (text, "This is a note, not a database. ");
  g_assert_true (g_file_set_contents (garbage, text->str, text->len, NULL));
  assert_open_fails (garbage, PD_LEDGER_ERROR_CORRUPT);
  /* A failed open writes nothing. */
  g_assert_true (g_file_get_contents (garbage, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text->str);

  /* Another program's SQLite database is not ours to migrate. */
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
  sqlite3_close (db);
  assert_open_fails (foreign, PD_LEDGER_ERROR_CORRUPT);

  remove_tree (dir);
}

static void
test_open_unwritable (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *blocker = g_build_filename (dir, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "ledger.db", NULL);

  /* A folder that cannot exist, since a file has its name. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  assert_open_fails (under_file, PD_LEDGER_ERROR_CANNOT_OPEN);

  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (dir, "locked", NULL);
      g_autofree char *in_locked = g_build_filename (locked, "ledger.db", NULL);
      g_autofree char *read_only = g_build_filename (dir, "read-only.db", NULL);
      g_autoptr(GError) error = NULL;
      PdLedger *ledger;

      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      assert_open_fails (in_locked, PD_LEDGER_ERROR_CANNOT_OPEN);

      ledger = open_ledger (read_only, &error);
      g_assert_no_error (error);
      close_ledger (ledger);
      g_assert_cmpint (g_chmod (read_only, 0400), ==, 0);
      assert_open_fails (read_only, PD_LEDGER_ERROR_READ_ONLY);
    }
  else
    {
      g_test_message ("running as root: permission bits cannot lock a folder or a file");
    }

  remove_tree (dir);
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3 *db;

  close_ledger (g_steal_pointer (&fixture->ledger));
  db = open_raw (fixture->path);
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  assert_open_fails (fixture->path, PD_LEDGER_ERROR_TOO_NEW);

  db = open_raw (fixture->path);
  raw_exec (db, "PRAGMA user_version = 1");
  sqlite3_close (db);
}

/* Models */

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *n_notifies = user_data;

  (*n_notifies)++;
}

static void
test_models_properties (void)
{
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();
  g_autoptr(PdTransaction) copy = NULL;
  g_autoptr(PdPaymentLink) link = pd_payment_link_new ();
  g_autoptr(PdPaymentLink) link_copy = NULL;
  g_autoptr(PdWallet) wallet = pd_wallet_new ();
  g_autoptr(PdRefund) refund = pd_refund_new ();
  g_autoptr(PdSubscription) subscription = pd_subscription_new ();
  const char *methods[] = { "MPESA", "CARD", NULL };
  guint n_notifies = 0;
  g_autofree char *currency = NULL;
  gint64 amount = 0;

  g_signal_connect (transaction, "notify", G_CALLBACK (on_notify), &n_notifies);
  pd_transaction_set_amount (transaction, 10010);
  pd_transaction_set_amount (transaction, 10010);
  pd_transaction_set_currency (transaction, "USD");
  pd_transaction_set_currency (transaction, "USD");
  pd_transaction_set_status (transaction, PD_STATUS_COMPLETED);
  g_object_set (transaction, "card-last-four", "4242", NULL);
  /* One notify per real change only: views bind to these. */
  g_assert_cmpuint (n_notifies, ==, 4);

  g_object_get (transaction, "amount", &amount, "currency", &currency, NULL);
  g_assert_cmpint (amount, ==, 10010);
  g_assert_cmpstr (currency, ==, "USD");

  copy = pd_transaction_copy (transaction);
  g_assert_cmpint (pd_transaction_get_amount (copy), ==, 10010);
  g_assert_cmpstr (pd_transaction_get_card_last_four (copy), ==, "4242");
  g_assert_cmpint (pd_transaction_get_status (copy), ==, PD_STATUS_COMPLETED);
  pd_transaction_set_currency (transaction, "EUR");
  g_assert_cmpstr (pd_transaction_get_currency (copy), ==, "USD");

  pd_payment_link_set_payment_methods (link, methods);
  link_copy = pd_payment_link_copy (link);
  g_assert_cmpstrv (pd_payment_link_get_payment_methods (link_copy), methods);

  pd_wallet_set_balance (wallet, -1500);
  g_assert_cmpint (pd_wallet_get_balance (wallet), ==, -1500);
  g_assert_cmpint (pd_wallet_get_mode (wallet), ==, PD_MODE_LIVE);

  g_assert_cmpint (pd_refund_get_outcome (refund), ==, PD_REFUND_OUTCOME_PENDING);
  g_assert_cmpstr (pd_refund_outcome_to_key (PD_REFUND_OUTCOME_SUCCEEDED), ==, "succeeded");
  g_assert_cmpint (pd_refund_outcome_from_key ("failed"), ==, PD_REFUND_OUTCOME_FAILED);
  g_assert_cmpint (pd_refund_outcome_from_key ("no-such-outcome"), ==, PD_REFUND_OUTCOME_UNKNOWN);
  g_assert_cmpint (pd_ledger_event_kind_from_key ("challenge-shown"), ==, PD_LEDGER_EVENT_CHALLENGE_SHOWN);

  g_assert_cmpint (pd_subscription_get_status (subscription), ==, PD_SUBSCRIPTION_STATUS_UNKNOWN);
}

static void
test_models_last_four_only (void)
{
  g_autoptr(PdTransaction) transaction = pd_transaction_new ();

  g_assert_true (pd_transaction_is_valid_last_four ("4242"));
  g_assert_true (pd_transaction_is_valid_last_four (NULL));
  g_assert_false (pd_transaction_is_valid_last_four ("4111111111111111"));
  g_assert_false (pd_transaction_is_valid_last_four ("42a2"));
  g_assert_false (pd_transaction_is_valid_last_four (""));

  /* The model refuses more of the card, and says so without the number. */
  g_test_expect_message ("pd-transaction", G_LOG_LEVEL_CRITICAL, "*is_valid_last_four*");
  pd_transaction_set_card_last_four (transaction, "4111111111111111");
  g_test_assert_expected_messages ();
  g_assert_null (pd_transaction_get_card_last_four (transaction));
}

static void
test_ledger_refuses_card_numbers (Fixture       *fixture,
                                  gconstpointer  data)
{
  sqlite3 *db;

  db = open_raw (fixture->path);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO transactions (account_id, gateway, reference, amount, status,"
                                 " mode, created_at, updated_at, card_last_four)"
                                 " VALUES ('a', 'pesogate', 'r', 1, 'pending', 'live', 1, 1, '4111111111111111')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM transactions"), ==, 0);
  sqlite3_close (db);
}

/* Transactions, timeline, refunds, links, subscriptions */

static void
test_upsert_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ref-1", PD_STATUS_INITIALIZED);
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdTransaction) update = NULL;
  g_autoptr(PdTransaction) merged = NULL;
  g_autoptr(PdTransaction) same = NULL;
  g_autoptr(PdTransaction) found = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdLedgerEvent) first = NULL;
  g_autoptr(PdLedgerEvent) second = NULL;
  sqlite3 *db;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  g_object_set (transaction,
                "gateway", PD_GATEWAY_PESOGATE,
                "order-id", "ORD-1",
                "amount", (gint64) 10050,
                "currency", "USD",
                "provider", "mpgs",
                "payment-method", "card",
                "card-brand", "visa",
                "card-last-four", "1234",
                "customer-name", "Maria Cossa",
                "customer-email", "maria@example.com",
                "customer-phone", "+258840000000",
                "metadata", "{\"table\":7}",
                "mode", PD_MODE_TEST,
                "created-at", (gint64) 1700000000,
                NULL);
  stored = upsert (fixture->ledger, transaction, "initialize");
  g_assert_cmpint (pd_transaction_get_ledger_id (stored), >, 0);
  g_assert_cmpint (pd_transaction_get_created_at (stored), ==, 1700000000);
  g_assert_cmpint (pd_transaction_get_updated_at (stored), >=, before);
  g_assert_cmpstr (pd_transaction_get_metadata (stored), ==, "{\"table\":7}");
  g_assert_cmpint (pd_transaction_get_mode (stored), ==, PD_MODE_TEST);
  g_assert_cmpstr (pd_transaction_get_customer_phone (stored), ==, "+258840000000");

  /* A status check knows less: what it does not say is kept. */
  db = open_raw (fixture->path);
  raw_exec (db, "UPDATE transactions SET updated_at = 1");
  sqlite3_close (db);
  update = make_transaction ("acct", "ref-1", PD_STATUS_COMPLETED);
  g_object_set (update,
                "gateway-status", "completed",
                "created-at", (gint64) 1800000000,
                "completed-at", (gint64) 1700000090,
                "mode", PD_MODE_TEST,
                NULL);
  merged = upsert (fixture->ledger, update, "status check");
  g_assert_cmpint (pd_transaction_get_ledger_id (merged), ==, pd_transaction_get_ledger_id (stored));
  g_assert_cmpint (pd_transaction_get_status (merged), ==, PD_STATUS_COMPLETED);
  g_assert_cmpint (pd_transaction_get_created_at (merged), ==, 1700000000);
  g_assert_cmpint (pd_transaction_get_completed_at (merged), ==, 1700000090);
  g_assert_cmpint (pd_transaction_get_updated_at (merged), >=, before);
  g_assert_cmpint (pd_transaction_get_amount (merged), ==, 10050);
  g_assert_cmpstr (pd_transaction_get_customer_name (merged), ==, "Maria Cossa");
  g_assert_cmpstr (pd_transaction_get_card_last_four (merged), ==, "1234");
  g_assert_cmpstr (pd_transaction_get_order_id (merged), ==, "ORD-1");

  /* The same status again adds no event; an unknown status keeps the known one. */
  same = upsert (fixture->ledger, update, "status check");
  g_clear_object (&same);
  g_clear_object (&update);
  update = make_transaction ("acct", "ref-1", PD_STATUS_UNKNOWN);
  g_object_set (update, "gateway-status", NULL, NULL);
  same = upsert (fixture->ledger, update, "lookup");
  g_assert_cmpint (pd_transaction_get_status (same), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_transaction_get_gateway_status (same), ==, "completed");

  events = list_events (fixture->ledger, "acct", "ref-1");
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  first = g_list_model_get_item (events, 0);
  second = g_list_model_get_item (events, 1);
  g_assert_cmpint (pd_ledger_event_get_kind (first), ==, PD_LEDGER_EVENT_CREATED);
  g_assert_cmpint (pd_ledger_event_get_status (first), ==, PD_STATUS_INITIALIZED);
  g_assert_cmpstr (pd_ledger_event_get_note (first), ==, "initialize");
  g_assert_cmpint (pd_ledger_event_get_kind (second), ==, PD_LEDGER_EVENT_STATUS_CHANGED);
  g_assert_cmpint (pd_ledger_event_get_status (second), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_ledger_event_get_gateway_status (second), ==, "completed");
  g_assert_cmpstr (pd_ledger_event_get_note (second), ==, "status check");
  g_assert_cmpint (pd_ledger_event_get_transaction_id (second), ==, pd_transaction_get_ledger_id (stored));

  found = find (fixture->ledger, "acct", "ref-1");
  g_assert_nonnull (found);
  g_assert_cmpint (pd_transaction_get_status (found), ==, PD_STATUS_COMPLETED);
  g_clear_object (&found);
  /* Missing is not an error; another account does not see it. */
  g_assert_null (find (fixture->ledger, "acct", "no-such-reference"));
  g_assert_null (find (fixture->ledger, "other-acct", "ref-1"));

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    pd_ledger_find_by_order_id_async (fixture->ledger, "acct", "ORD-1", NULL, store_result, &result);
    found = pd_ledger_find_by_order_id_finish (fixture->ledger, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_nonnull (found);
    g_assert_cmpstr (pd_transaction_get_reference (found), ==, "ref-1");
  }
}

static void
test_upsert_invalid (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PdTransaction) no_reference = make_transaction ("acct", NULL, PD_STATUS_PENDING);
  g_autoptr(PdTransaction) good = make_transaction ("acct", "good", PD_STATUS_PENDING);
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  pd_ledger_upsert_transaction_async (fixture->ledger, no_reference, NULL, NULL, store_result, &result);
  g_assert_null (pd_ledger_upsert_transaction_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* One bad row fails the batch whole. */
  g_ptr_array_add (batch, good);
  g_ptr_array_add (batch, no_reference);
  upsert_many (fixture->ledger, batch, &error);
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_assert_null (find (fixture->ledger, "acct", "good"));
}

static void
test_timeline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ref-3ds", PD_STATUS_PENDING);
  g_autoptr(PdTransaction) stored = upsert (fixture->ledger, transaction, "initialize");
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdLedgerEvent) shown = NULL;
  g_autoptr(PdLedgerEvent) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_ledger_add_event_async (fixture->ledger, "acct", "ref-3ds", PD_LEDGER_EVENT_CHALLENGE_SHOWN,
                             "render_html", NULL, store_result, &result);
  shown = pd_ledger_add_event_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_ledger_event_get_kind (shown), ==, PD_LEDGER_EVENT_CHALLENGE_SHOWN);
  g_assert_cmpint (pd_ledger_event_get_status (shown), ==, PD_STATUS_PENDING);
  g_assert_cmpint (pd_ledger_event_get_ledger_id (shown), >, 0);
  g_clear_object (&result);

  events = list_events (fixture->ledger, "acct", "ref-3ds");
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  listed = g_list_model_get_item (events, 1);
  g_assert_cmpint (pd_ledger_event_get_ledger_id (listed), ==, pd_ledger_event_get_ledger_id (shown));
  g_assert_cmpstr (pd_ledger_event_get_note (listed), ==, "render_html");

  pd_ledger_add_event_async (fixture->ledger, "acct", "no-such-ref", PD_LEDGER_EVENT_NOTE, "x", NULL,
                             store_result, &result);
  g_assert_null (pd_ledger_add_event_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_NOT_FOUND);
}

static PdRefund *
record_refund (PdLedger  *ledger,
               PdRefund  *refund,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_ledger_record_refund_async (ledger, refund, NULL, store_result, &result);

  return pd_ledger_record_refund_finish (ledger, wait_for (&result), error);
}

static PdRefund *
make_refund (const char      *reference,
             gint64           amount,
             PdRefundOutcome  outcome)
{
  PdRefund *refund = pd_refund_new ();

  g_object_set (refund,
                "account-id", "acct",
                "transaction", reference,
                "amount", amount,
                "outcome", outcome,
                NULL);

  return refund;
}

static void
test_refunds (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ref-r", PD_STATUS_COMPLETED);
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdTransaction) after = NULL;
  g_autoptr(PdRefund) first = make_refund ("ref-r", 4000, PD_REFUND_OUTCOME_PENDING);
  g_autoptr(PdRefund) first_stored = NULL;
  g_autoptr(PdRefund) too_much = make_refund ("ref-r", 6001, PD_REFUND_OUTCOME_PENDING);
  g_autoptr(PdRefund) failed = make_refund ("ref-r", 6000, PD_REFUND_OUTCOME_FAILED);
  g_autoptr(PdRefund) failed_stored = NULL;
  g_autoptr(PdRefund) second = make_refund ("ref-r", 6000, PD_REFUND_OUTCOME_SUCCEEDED);
  g_autoptr(PdRefund) second_stored = NULL;
  g_autoptr(PdRefund) missing = make_refund ("no-such-ref", 100, PD_REFUND_OUTCOME_PENDING);
  g_autoptr(PdRefund) ghost = make_refund ("ref-r", 100, PD_REFUND_OUTCOME_SUCCEEDED);
  g_autoptr(GListModel) refunds = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PdRefund) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (transaction, "amount", (gint64) 10000, "currency", "KES", NULL);
  stored = upsert (fixture->ledger, transaction, NULL);

  pd_refund_set_note (first, "customer changed their mind");
  first_stored = record_refund (fixture->ledger, first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_ledger_id (first_stored), >, 0);
  g_assert_cmpstr (pd_refund_get_currency (first_stored), ==, "KES");
  g_assert_cmpint (pd_refund_get_requested_at (first_stored), >, 0);
  g_assert_cmpstr (pd_refund_get_transaction (first_stored), ==, "ref-r");
  after = find (fixture->ledger, "acct", "ref-r");
  g_assert_cmpint (pd_transaction_get_refunded_amount (after), ==, 0);
  g_clear_object (&after);

  /* A pending refund counts: no second refund past the amount. */
  g_assert_null (record_refund (fixture->ledger, too_much, &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* A failed one moved no money. */
  failed_stored = record_refund (fixture->ledger, failed, &error);
  g_assert_no_error (error);

  /* Settled: the transaction's refunded amount follows. */
  pd_refund_set_outcome (first_stored, PD_REFUND_OUTCOME_SUCCEEDED);
  pd_refund_set_message (first_stored, "Transaction refunded successfully");
  pd_refund_set_note (first_stored, NULL);
  g_clear_object (&first);
  first = record_refund (fixture->ledger, first_stored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_outcome (first), ==, PD_REFUND_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (pd_refund_get_note (first), ==, "customer changed their mind");
  g_assert_cmpstr (pd_refund_get_message (first), ==, "Transaction refunded successfully");
  second_stored = record_refund (fixture->ledger, second, &error);
  g_assert_no_error (error);
  after = find (fixture->ledger, "acct", "ref-r");
  g_assert_cmpint (pd_transaction_get_refunded_amount (after), ==, 10000);
  g_clear_object (&after);

  g_assert_null (record_refund (fixture->ledger, missing, &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  pd_refund_set_ledger_id (ghost, 999999);
  g_assert_null (record_refund (fixture->ledger, ghost, &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  pd_refund_set_amount (ghost, 0);
  g_assert_null (record_refund (fixture->ledger, ghost, &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  pd_ledger_list_refunds_async (fixture->ledger, "acct", "ref-r", NULL, store_result, &result);
  refunds = pd_ledger_list_refunds_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (refunds), ==, 3);
  listed = g_list_model_get_item (refunds, 0);
  g_assert_cmpint (pd_refund_get_ledger_id (listed), ==, pd_refund_get_ledger_id (first_stored));
  g_assert_cmpint (pd_refund_get_amount (listed), ==, 4000);
  g_assert_cmpstr (pd_refund_get_account_id (listed), ==, "acct");
  g_clear_object (&listed);
  listed = g_list_model_get_item (refunds, 1);
  g_assert_cmpint (pd_refund_get_outcome (listed), ==, PD_REFUND_OUTCOME_FAILED);

  /* Each refund write is on the timeline. */
  events = list_events (fixture->ledger, "acct", "ref-r");
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 5);
}

static void
test_refund_update_unknown (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ref-u", PD_STATUS_COMPLETED);
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdRefund) ghost = make_refund ("ref-u", 100, PD_REFUND_OUTCOME_FAILED);
  g_autoptr(GError) error = NULL;

  g_object_set (transaction, "amount", (gint64) 1000, NULL);
  stored = upsert (fixture->ledger, transaction, NULL);
  pd_refund_set_ledger_id (ghost, 424242);
  g_assert_null (record_refund (fixture->ledger, ghost, &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_NOT_FOUND);
}

static void
test_payment_links (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdPaymentLink) link = pd_payment_link_new ();
  g_autoptr(PdPaymentLink) older = pd_payment_link_new ();
  g_autoptr(PdPaymentLink) stored = NULL;
  g_autoptr(PdPaymentLink) update = pd_payment_link_new ();
  g_autoptr(PdPaymentLink) merged = NULL;
  g_autoptr(PdPaymentLink) first = NULL;
  g_autoptr(PdPaymentLink) anonymous = pd_payment_link_new ();
  g_autoptr(GListModel) links = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *methods[] = { "MPESA", "CARD", NULL };

  g_object_set (link,
                "id", "link-1",
                "account-id", "acct",
                "transaction-id", "tx-uuid-1",
                "checkout-url", "https://paysgator.example/checkout/link-1",
                "amount", (gint64) 250000,
                "currency", "MZN",
                "payment-methods", methods,
                "external-id", "INV-77",
                "status", PD_STATUS_PENDING,
                "mode", PD_MODE_TEST,
                "created-at", (gint64) 1700000500,
                NULL);
  pd_ledger_upsert_payment_link_async (fixture->ledger, link, NULL, store_result, &result);
  stored = pd_ledger_upsert_payment_link_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_payment_link_get_checkout_url (stored), ==, "https://paysgator.example/checkout/link-1");
  g_assert_cmpstrv (pd_payment_link_get_payment_methods (stored), methods);
  g_assert_cmpint (pd_payment_link_get_mode (stored), ==, PD_MODE_TEST);
  g_clear_object (&result);

  g_object_set (update, "id", "link-1", "account-id", "acct", "status", PD_STATUS_COMPLETED,
                "mode", PD_MODE_TEST, NULL);
  pd_ledger_upsert_payment_link_async (fixture->ledger, update, NULL, store_result, &result);
  merged = pd_ledger_upsert_payment_link_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_link_get_status (merged), ==, PD_STATUS_COMPLETED);
  g_assert_cmpint (pd_payment_link_get_amount (merged), ==, 250000);
  g_assert_cmpstr (pd_payment_link_get_external_id (merged), ==, "INV-77");
  g_assert_cmpstrv (pd_payment_link_get_payment_methods (merged), methods);
  g_assert_cmpint (pd_payment_link_get_created_at (merged), ==, 1700000500);
  g_clear_object (&result);

  g_object_set (older, "id", "link-0", "account-id", "acct", "created-at", (gint64) 1600000000, NULL);
  g_clear_object (&stored);
  pd_ledger_upsert_payment_link_async (fixture->ledger, older, NULL, store_result, &result);
  stored = pd_ledger_upsert_payment_link_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (pd_payment_link_get_payment_methods (stored));
  g_clear_object (&result);

  pd_ledger_list_payment_links_async (fixture->ledger, "acct", NULL, store_result, &result);
  links = pd_ledger_list_payment_links_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 2);
  first = g_list_model_get_item (links, 0);
  g_assert_cmpstr (pd_payment_link_get_id (first), ==, "link-1");
  g_clear_object (&result);

  pd_ledger_upsert_payment_link_async (fixture->ledger, anonymous, NULL, store_result, &result);
  g_assert_null (pd_ledger_upsert_payment_link_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID);
}

static void
test_subscriptions (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PdSubscription) subscription = pd_subscription_new ();
  g_autoptr(PdSubscription) stored = NULL;
  g_autoptr(PdSubscription) update = pd_subscription_new ();
  g_autoptr(PdSubscription) merged = NULL;
  g_autoptr(GListModel) subscriptions = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (subscription,
                "id", "sub-1",
                "account-id", "acct",
                "plan-id", "plan-gold",
                "customer-email", "amina@example.com",
                "customer-name", "Amina Otieno",
                "status", PD_SUBSCRIPTION_STATUS_PAUSED,
                "checkout-url", "https://paysgator.example/sub/sub-1",
                "created-at", (gint64) 1700000000,
                NULL);
  pd_ledger_upsert_subscription_async (fixture->ledger, subscription, NULL, store_result, &result);
  stored = pd_ledger_upsert_subscription_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (stored), ==, PD_SUBSCRIPTION_STATUS_PAUSED);
  g_assert_cmpint (pd_subscription_get_seen_at (stored), >, 0);
  g_clear_object (&result);

  /* A later GET knows the period but not the checkout URL or the name. */
  g_object_set (update,
                "id", "sub-1",
                "account-id", "acct",
                "status", PD_SUBSCRIPTION_STATUS_ACTIVE,
                "current-period-start", (gint64) 1700000000,
                "current-period-end", (gint64) 1702592000,
                NULL);
  pd_ledger_upsert_subscription_async (fixture->ledger, update, NULL, store_result, &result);
  merged = pd_ledger_upsert_subscription_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (merged), ==, PD_SUBSCRIPTION_STATUS_ACTIVE);
  g_assert_cmpint (pd_subscription_get_current_period_end (merged), ==, 1702592000);
  g_assert_cmpstr (pd_subscription_get_checkout_url (merged), ==, "https://paysgator.example/sub/sub-1");
  g_assert_cmpstr (pd_subscription_get_customer_name (merged), ==, "Amina Otieno");
  g_assert_cmpstr (pd_subscription_get_plan_id (merged), ==, "plan-gold");
  g_clear_object (&result);

  pd_ledger_list_subscriptions_async (fixture->ledger, "acct", NULL, store_result, &result);
  subscriptions = pd_ledger_list_subscriptions_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subscriptions), ==, 1);
  g_clear_object (&subscriptions);
  g_clear_object (&result);

  pd_ledger_list_subscriptions_async (fixture->ledger, "other", NULL, store_result, &result);
  subscriptions = pd_ledger_list_subscriptions_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subscriptions), ==, 0);
}

static void
test_unsettled (Fixture       *fixture,
                gconstpointer  data)
{
  const PdStatus statuses[] = {
    PD_STATUS_PENDING, PD_STATUS_COMPLETED, PD_STATUS_INITIALIZED, PD_STATUS_FAILED,
    PD_STATUS_AUTHORIZED, PD_STATUS_REFUNDED, PD_STATUS_CANCELLED, PD_STATUS_PENDING,
  };
  g_autoptr(GListModel) unsettled = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *reference = g_strdup_printf ("u-%u", i);
      g_autoptr(PdTransaction) transaction = make_transaction ("acct", reference, statuses[i]);

      g_object_unref (upsert (fixture->ledger, transaction, NULL));
    }
  /* Least recently refreshed first. */
  db = open_raw (fixture->path);
  raw_exec (db, "UPDATE transactions SET updated_at = 1000 - id");
  sqlite3_close (db);

  pd_ledger_list_unsettled_async (fixture->ledger, "acct", 3, NULL, store_result, &result);
  unsettled = pd_ledger_list_unsettled_finish (fixture->ledger, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (unsettled), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PdTransaction) transaction = g_list_model_get_item (unsettled, i);
      const char *expected[] = { "u-7", "u-4", "u-2" };

      g_assert_cmpstr (pd_transaction_get_reference (transaction), ==, expected[i]);
      g_assert_false (pd_status_is_final (pd_transaction_get_status (transaction)));
    }
}

/* Queries against an oracle: the same rows, filtered and sorted in C. */

typedef struct
{
  PdTransaction *transaction;
  char          *fields[5];   /* folded searchable fields */
} Row;

typedef struct
{
  Fixture    fixture;
  GPtrArray *rows;   /* Row, by ledger id order */
} Dataset;

static const char *first_names[] = { "Maria", "John", "Amina", "José", "Wanjiru", "Carlos", "Fatima", "Nuno", "Ana", "Li" };
static const char *first_ascii[] = { "maria", "john", "amina", "jose", "wanjiru", "carlos", "fatima", "nuno", "ana", "li" };
static const char *last_names[] = { "Cossa", "Smith", "Otieno", "Álvarez", "Mwangi", "Langa", "Nguyen", "O'Brien", "Garcia", "Kim" };
static const char *last_ascii[] = { "cossa", "smith", "otieno", "alvarez", "mwangi", "langa", "nguyen", "obrien", "garcia", "kim" };
static const char *domains[] = { "gmail.com", "example.co.mz", "mail.co.ke", "company.com" };
static const char *currencies[] = { "USD", "KES", "MZN", "EUR" };

static void
row_free (Row *row)
{
  g_object_unref (row->transaction);
  for (guint i = 0; i < G_N_ELEMENTS (row->fields); i++)
    g_free (row->fields[i]);
  g_free (row);
}

static PdStatus
random_status (GRand *rand)
{
  int roll = g_rand_int_range (rand, 0, 100);

  if (roll < 60)
    return PD_STATUS_COMPLETED;
  if (roll < 70)
    return PD_STATUS_FAILED;
  if (roll < 76)
    return PD_STATUS_PENDING;
  if (roll < 82)
    return PD_STATUS_REFUNDED;
  if (roll < 86)
    return PD_STATUS_INITIALIZED;
  if (roll < 90)
    return PD_STATUS_AUTHORIZED;
  if (roll < 97)
    return PD_STATUS_CANCELLED;
  return PD_STATUS_UNKNOWN;
}

static PdTransaction *
random_transaction (GRand *rand,
                    guint  i)
{
  PdTransaction *transaction = pd_transaction_new ();
  g_autofree char *reference = g_strdup_printf ("%08x-%04x-4%03x-%04x-%08x%04x",
                                                g_rand_int (rand), g_rand_int (rand) & 0xffff,
                                                g_rand_int (rand) & 0xfff, g_rand_int (rand) & 0xffff,
                                                g_rand_int (rand), g_rand_int (rand) & 0xffff);
  g_autofree char *order_id = g_strdup_printf ("ORD-%06u", g_rand_int_range (rand, 0, 1000000));
  g_autofree char *last_four = g_strdup_printf ("%04u", g_rand_int_range (rand, 0, 10000));
  guint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names));
  guint last = g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names));
  g_autofree char *name = g_strdup_printf ("%s %s", first_names[first], last_names[last]);
  g_autofree char *email = g_strdup_printf ("%s.%s%u@%s", first_ascii[first], last_ascii[last],
                                            g_rand_int_range (rand, 1, 100),
                                            domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))]);
  g_autofree char *phone = g_strdup_printf ("+2588%07u", g_rand_int_range (rand, 0, 10000000));
  gboolean card = g_rand_int_range (rand, 0, 100) < 75;
  const char *provider = card ? (g_rand_boolean (rand) ? "cybersource" : "mpgs")
                              : (g_rand_int_range (rand, 0, 3) ? "MPESA" : "EMOLA");
  PdStatus status = random_status (rand);
  /* Mostly chronological, as the ledger fills; one in ten looked up long after it happened. */
  gint64 created_at = g_rand_int_range (rand, 0, 10) == 0
                      ? 1600000000 + g_rand_int_range (rand, 0, (int) i * 600 + 1)
                      : 1600000000 + (gint64) i * 600 + g_rand_int_range (rand, 0, 600);

  if (g_rand_int_range (rand, 0, 20) == 0)
    created_at = 1600000000 + 3000;

  g_object_set (transaction,
                "gateway", card ? PD_GATEWAY_PESOGATE : PD_GATEWAY_PAYSGATOR,
                "reference", reference,
                "order-id", g_rand_int_range (rand, 0, 20) == 0 ? NULL : order_id,
                "amount", (gint64) g_rand_int_range (rand, 100, 500000),
                "currency", currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))],
                "status", status,
                "gateway-status", pd_status_to_key (status),
                "provider", provider,
                "payment-method", card ? "card" : provider,
                "card-brand", card ? (g_rand_boolean (rand) ? "visa" : "Mastercard") : NULL,
                "card-last-four", card ? last_four : NULL,
                "customer-name", g_rand_int_range (rand, 0, 30) == 0 ? NULL : name,
                "customer-email", email,
                "customer-phone", phone,
                "mode", g_rand_int_range (rand, 0, 10) == 0 ? PD_MODE_TEST : PD_MODE_LIVE,
                "created-at", created_at,
                "completed-at", status == PD_STATUS_COMPLETED ? created_at + 30 : (gint64) 0,
                NULL);

  return transaction;
}

static void
dataset_set_up (Dataset       *dataset,
                gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240510);
  g_autoptr(GPtrArray) batch = NULL;
  const char *accounts[] = { "acct-a", "acct-a", "acct-a", "acct-a", "acct-a", "acct-a", "acct-b", "acct-b", "acct-c" };
  const guint n_rows = 7000;

  fixture_set_up (&dataset->fixture, data);
  dataset->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  for (guint i = 0; i < n_rows; i++)
    {
      Row *row = g_new0 (Row, 1);

      row->transaction = random_transaction (rand, i);
      pd_transaction_set_account_id (row->transaction,
                                     accounts[g_rand_int_range (rand, 0, G_N_ELEMENTS (accounts))]);
      g_ptr_array_add (dataset->rows, row);
    }

  for (guint start = 0; start < n_rows; start += 1000)
    {
      g_autoptr(GError) error = NULL;

      batch = g_ptr_array_new ();
      for (guint i = start; i < MIN (start + 1000, n_rows); i++)
        g_ptr_array_add (batch, ((Row *) dataset->rows->pdata[i])->transaction);
      upsert_many (dataset->fixture.ledger, batch, &error);
      g_assert_no_error (error);
      g_clear_pointer (&batch, g_ptr_array_unref);
    }

  /* What the ledger stored, for the fields the ledger sets itself. */
  for (guint i = 0; i < n_rows; i++)
    {
      Row *row = dataset->rows->pdata[i];
      g_autoptr(PdTransaction) stored = find (dataset->fixture.ledger,
                                              pd_transaction_get_account_id (row->transaction),
                                              pd_transaction_get_reference (row->transaction));
      const char *fields[] = {
        pd_transaction_get_order_id (stored), pd_transaction_get_reference (stored),
        pd_transaction_get_customer_name (stored), pd_transaction_get_customer_email (stored),
        pd_transaction_get_card_last_four (stored),
      };

      g_assert_nonnull (stored);
      g_set_object (&row->transaction, stored);
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        row->fields[f] = fields[f] != NULL ? g_utf8_casefold (fields[f], -1) : NULL;
    }
}

static void
dataset_tear_down (Dataset       *dataset,
                   gconstpointer  data)
{
  g_ptr_array_unref (dataset->rows);
  fixture_tear_down (&dataset->fixture, data);
}

static gboolean
oracle_text_matches (Row        *row,
                     const char *text)
{
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return TRUE;
  words = g_strsplit_set (text, " \t", -1);
  for (guint w = 0; words[w] != NULL; w++)
    {
      g_autofree char *folded = g_utf8_casefold (words[w], -1);
      gboolean found = FALSE;

      if (*folded == '\0')
        continue;
      for (guint f = 0; f < G_N_ELEMENTS (row->fields) && !found; f++)
        found = row->fields[f] != NULL && strstr (row->fields[f], folded) != NULL;
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static gboolean
oracle_matches (Row            *row,
                PdLedgerFilter *filter)
{
  PdTransaction *t = row->transaction;
  guint mask = pd_ledger_filter_get_status_mask (filter);
  gint64 since = pd_ledger_filter_get_created_since (filter);
  gint64 until = pd_ledger_filter_get_created_until (filter);
  gint64 amount_min = pd_ledger_filter_get_amount_min (filter);
  gint64 amount_max = pd_ledger_filter_get_amount_max (filter);
  const char *currency = pd_ledger_filter_get_currency (filter);
  const char *provider = pd_ledger_filter_get_provider (filter);

  return g_strcmp0 (pd_transaction_get_account_id (t), pd_ledger_filter_get_account_id (filter)) == 0 &&
         (mask == 0 || (mask & (1u << pd_transaction_get_status (t)))) &&
         (since == 0 || pd_transaction_get_created_at (t) >= since) &&
         (until == 0 || pd_transaction_get_created_at (t) < until) &&
         (amount_min < 0 || pd_transaction_get_amount (t) >= amount_min) &&
         (amount_max < 0 || pd_transaction_get_amount (t) <= amount_max) &&
         (currency == NULL || g_strcmp0 (pd_transaction_get_currency (t), currency) == 0) &&
         (provider == NULL || g_strcmp0 (pd_transaction_get_provider (t), provider) == 0) &&
         oracle_text_matches (row, pd_ledger_filter_get_text (filter));
}

/* SQLite's orders: NULL first, BINARY or NOCASE (ASCII only) text. */
static int
compare_text (const char *a,
              const char *b,
              gboolean    nocase)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return nocase ? g_ascii_strcasecmp (a, b) : strcmp (a, b);
}

static int
compare_numbers (gint64 a,
                 gint64 b)
{
  return (a > b) - (a < b);
}

static int
oracle_compare (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  PdLedgerFilter *filter = user_data;
  PdTransaction *ta = (*(Row **) a)->transaction;
  PdTransaction *tb = (*(Row **) b)->transaction;
  int order;

  switch (pd_ledger_filter_get_sort (filter))
    {
    case PD_LEDGER_SORT_CREATED_AT:
      order = compare_numbers (pd_transaction_get_created_at (ta), pd_transaction_get_created_at (tb));
      break;
    case PD_LEDGER_SORT_UPDATED_AT:
      order = compare_numbers (pd_transaction_get_updated_at (ta), pd_transaction_get_updated_at (tb));
      break;
    case PD_LEDGER_SORT_COMPLETED_AT:
      order = compare_numbers (pd_transaction_get_completed_at (ta), pd_transaction_get_completed_at (tb));
      break;
    case PD_LEDGER_SORT_AMOUNT:
      order = compare_numbers (pd_transaction_get_amount (ta), pd_transaction_get_amount (tb));
      break;
    case PD_LEDGER_SORT_REFUNDED_AMOUNT:
      order = compare_numbers (pd_transaction_get_refunded_amount (ta), pd_transaction_get_refunded_amount (tb));
      break;
    case PD_LEDGER_SORT_CURRENCY:
      order = compare_text (pd_transaction_get_currency (ta), pd_transaction_get_currency (tb), FALSE);
      break;
    case PD_LEDGER_SORT_STATUS:
      order = compare_text (pd_status_to_key (pd_transaction_get_status (ta)),
                            pd_status_to_key (pd_transaction_get_status (tb)), FALSE);
      break;
    case PD_LEDGER_SORT_GATEWAY:
      order = compare_text (pd_gateway_to_key (pd_transaction_get_gateway (ta)),
                            pd_gateway_to_key (pd_transaction_get_gateway (tb)), FALSE);
      break;
    case PD_LEDGER_SORT_PROVIDER:
      order = compare_text (pd_transaction_get_provider (ta), pd_transaction_get_provider (tb), FALSE);
      break;
    case PD_LEDGER_SORT_PAYMENT_METHOD:
      order = compare_text (pd_transaction_get_payment_method (ta), pd_transaction_get_payment_method (tb), TRUE);
      break;
    case PD_LEDGER_SORT_CARD_BRAND:
      order = compare_text (pd_transaction_get_card_brand (ta), pd_transaction_get_card_brand (tb), TRUE);
      break;
    case PD_LEDGER_SORT_CARD_LAST_FOUR:
      order = compare_text (pd_transaction_get_card_last_four (ta), pd_transaction_get_card_last_four (tb), FALSE);
      break;
    case PD_LEDGER_SORT_ORDER_ID:
      order = compare_text (pd_transaction_get_order_id (ta), pd_transaction_get_order_id (tb), TRUE);
      break;
    case PD_LEDGER_SORT_REFERENCE:
      order = compare_text (pd_transaction_get_reference (ta), pd_transaction_get_reference (tb), TRUE);
      break;
    case PD_LEDGER_SORT_CUSTOMER_NAME:
      order = compare_text (pd_transaction_get_customer_name (ta), pd_transaction_get_customer_name (tb), TRUE);
      break;
    case PD_LEDGER_SORT_CUSTOMER_EMAIL:
      order = compare_text (pd_transaction_get_customer_email (ta), pd_transaction_get_customer_email (tb), TRUE);
      break;
    case PD_LEDGER_SORT_CUSTOMER_PHONE:
      order = compare_text (pd_transaction_get_customer_phone (ta), pd_transaction_get_customer_phone (tb), FALSE);
      break;
    case PD_LEDGER_SORT_MODE:
      order = compare_text (pd_mode_to_key (pd_transaction_get_mode (ta)),
                            pd_mode_to_key (pd_transaction_get_mode (tb)), FALSE);
      break;
    default:
      g_assert_not_reached ();
    }
  if (order == 0)
    order = compare_numbers (pd_transaction_get_ledger_id (ta), pd_transaction_get_ledger_id (tb));

  return pd_ledger_filter_get_descending (filter) ? -order : order;
}

/* Checks a few pages and the count of @filter against the oracle; returns the number of matches. */
static guint
check_filter (Dataset        *dataset,
              PdLedgerFilter *filter)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  const guint pages[][2] = { { 0, 25 }, { 25, 25 }, { 0, 1 }, { 1000, 40 } };

  for (guint i = 0; i < dataset->rows->len; i++)
    if (oracle_matches (dataset->rows->pdata[i], filter))
      g_ptr_array_add (expected, dataset->rows->pdata[i]);
  g_ptr_array_sort_with_data (expected, oracle_compare, filter);

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      guint offset = pages[p][0];
      guint limit = pages[p][1];
      g_autoptr(GListModel) page = query (dataset->fixture.ledger, filter, offset, limit);
      guint n_expected = offset < expected->len ? MIN (limit, expected->len - offset) : 0;

      g_assert_cmpuint (g_list_model_get_n_items (page), ==, n_expected);
      for (guint i = 0; i < n_expected; i++)
        {
          g_autoptr(PdTransaction) got = g_list_model_get_item (page, i);
          PdTransaction *want = ((Row *) expected->pdata[offset + i])->transaction;

          if (pd_transaction_get_ledger_id (got) != pd_transaction_get_ledger_id (want))
            g_error ("filter text=%s sort=%d: row %u of page %u: got %" G_GINT64_FORMAT
                     ", want %" G_GINT64_FORMAT,
                     pd_ledger_filter_get_text (filter), pd_ledger_filter_get_sort (filter),
                     i, p, pd_transaction_get_ledger_id (got), pd_transaction_get_ledger_id (want));
          g_assert_cmpstr (pd_transaction_get_reference (got), ==, pd_transaction_get_reference (want));
        }
    }
  g_assert_cmpint (count (dataset->fixture.ledger, filter), ==, expected->len);

  return expected->len;
}

static void
test_query_filters (Dataset       *dataset,
                    gconstpointer  data)
{
  g_autoptr(PdLedgerFilter) filter = NULL;
  guint n;

  filter = pd_ledger_filter_new ("acct-a");
  n = check_filter (dataset, filter);
  g_assert_cmpuint (n, >, 4000);

  pd_ledger_filter_add_status (filter, PD_STATUS_CANCELLED);
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);
  pd_ledger_filter_add_status (filter, PD_STATUS_FAILED);
  pd_ledger_filter_add_status (filter, PD_STATUS_UNKNOWN);
  check_filter (dataset, filter);
  g_assert_true (pd_ledger_filter_has_status (filter, PD_STATUS_FAILED));
  for (PdStatus status = PD_STATUS_UNKNOWN; status <= PD_STATUS_CANCELLED; status++)
    pd_ledger_filter_add_status (filter, status);
  g_assert_cmpuint (check_filter (dataset, filter), ==, n);
  pd_ledger_filter_clear_statuses (filter);

  pd_ledger_filter_set_created_range (filter, 1600000000 + 1000 * 600, 1600000000 + 1400 * 600);
  g_assert_cmpuint (check_filter (dataset, filter), >, 100);
  pd_ledger_filter_set_created_range (filter, 1600000000 + 6000 * 600, 0);
  check_filter (dataset, filter);
  pd_ledger_filter_set_created_range (filter, 0, 1600000000 + 200 * 600);
  check_filter (dataset, filter);
  pd_ledger_filter_set_created_range (filter, 0, 0);

  /* Narrow (sorted from the amount index) and wide (walked by date). */
  pd_ledger_filter_set_amount_range (filter, 10000, 20000);
  g_assert_cmpuint (check_filter (dataset, filter), <, 2000);
  pd_ledger_filter_set_amount_range (filter, 1000, 400000);
  g_assert_cmpuint (check_filter (dataset, filter), >, 2000);
  pd_ledger_filter_set_amount_range (filter, 450000, -1);
  check_filter (dataset, filter);
  pd_ledger_filter_set_amount_range (filter, -1, 5000);
  check_filter (dataset, filter);
  pd_ledger_filter_set_amount_range (filter, -1, -1);

  pd_ledger_filter_set_currency (filter, "EUR");
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);
  pd_ledger_filter_set_currency (filter, "");
  g_assert_null (pd_ledger_filter_get_currency (filter));

  pd_ledger_filter_set_provider (filter, "EMOLA");
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);
  pd_ledger_filter_set_provider (filter, "no-such-provider");
  g_assert_cmpuint (check_filter (dataset, filter), ==, 0);
  pd_ledger_filter_set_provider (filter, NULL);

  /* Together. */
  pd_ledger_filter_add_status (filter, PD_STATUS_COMPLETED);
  pd_ledger_filter_add_status (filter, PD_STATUS_REFUNDED);
  pd_ledger_filter_set_currency (filter, "KES");
  pd_ledger_filter_set_provider (filter, "mpgs");
  pd_ledger_filter_set_created_range (filter, 1600000000 + 500 * 600, 1600000000 + 5000 * 600);
  pd_ledger_filter_set_amount_range (filter, 50000, 450000);
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);

  /* The narrowest condition drives: a narrow amount range among others, a currency the account never uses. */
  pd_ledger_filter_set_created_range (filter, 0, 0);
  pd_ledger_filter_set_provider (filter, NULL);
  pd_ledger_filter_set_amount_range (filter, 10000, 12000);
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);
  pd_ledger_filter_set_amount_range (filter, -1, -1);
  pd_ledger_filter_set_currency (filter, "JPY");
  g_assert_cmpuint (check_filter (dataset, filter), ==, 0);
  pd_ledger_filter_set_currency (filter, "KES");
  pd_ledger_filter_set_provider (filter, "mpgs");
  pd_ledger_filter_set_created_range (filter, 1600000000 + 500 * 600, 1600000000 + 5000 * 600);
  pd_ledger_filter_set_amount_range (filter, 50000, 450000);

  /* Created-at ascending uses the same indexes backwards. */
  pd_ledger_filter_set_sort (filter, PD_LEDGER_SORT_CREATED_AT, FALSE);
  check_filter (dataset, filter);
  pd_ledger_filter_clear_statuses (filter);
  check_filter (dataset, filter);

  g_clear_pointer (&filter, pd_ledger_filter_unref);
  filter = pd_ledger_filter_new ("acct-c");
  g_assert_cmpuint (check_filter (dataset, filter), >, 0);
  g_clear_pointer (&filter, pd_ledger_filter_unref);
  filter = pd_ledger_filter_new ("no-such-account");
  g_assert_cmpuint (check_filter (dataset, filter), ==, 0);
}

static void
test_query_sorts (Dataset       *dataset,
                  gconstpointer  data)
{
  g_autoptr(GEnumClass) sorts = g_type_class_ref (PD_TYPE_LEDGER_SORT);

  for (guint i = 0; i < sorts->n_values; i++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct-b");
        g_autoptr(PdLedgerFilter) filtered = pd_ledger_filter_new ("acct-a");

        pd_ledger_filter_set_sort (filter, sorts->values[i].value, descending);
        check_filter (dataset, filter);

        pd_ledger_filter_set_sort (filtered, sorts->values[i].value, descending);
        pd_ledger_filter_add_status (filtered, PD_STATUS_FAILED);
        pd_ledger_filter_add_status (filtered, PD_STATUS_PENDING);
        pd_ledger_filter_set_amount_range (filtered, 20000, -1);
        check_filter (dataset, filtered);
      }
}

static const char *
some_field (Dataset *dataset,
            guint    index,
            guint    field)
{
  for (guint i = index; i < dataset->rows->len; i++)
    {
      Row *row = dataset->rows->pdata[i];

      if (g_strcmp0 (pd_transaction_get_account_id (row->transaction), "acct-a") == 0 && row->fields[field] != NULL)
        return row->fields[field];
    }
  g_assert_not_reached ();
}

static void
check_search (Dataset    *dataset,
              const char *text,
              gboolean    expect_some)
{
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct-a");
  guint n;

  pd_ledger_filter_set_text (filter, text);
  n = check_filter (dataset, filter);
  g_test_message ("search “%s”: %u rows", text, n);
  if (expect_some)
    g_assert_cmpuint (n, >, 0);

  /* The same with other conditions and other orders. */
  pd_ledger_filter_add_status (filter, PD_STATUS_COMPLETED);
  pd_ledger_filter_set_currency (filter, "USD");
  check_filter (dataset, filter);
  pd_ledger_filter_set_sort (filter, PD_LEDGER_SORT_AMOUNT, TRUE);
  check_filter (dataset, filter);
  pd_ledger_filter_set_sort (filter, PD_LEDGER_SORT_CREATED_AT, FALSE);
  check_filter (dataset, filter);
}

static void
test_query_search (Dataset       *dataset,
                   gconstpointer  data)
{
  g_autofree char *reference_prefix = g_strndup (some_field (dataset, 10, 1), 8);
  g_autofree char *order_part = g_strndup (some_field (dataset, 20, 0) + 5, 4);
  g_autofree char *whole_email = g_ascii_strup (some_field (dataset, 30, 3), -1);
  g_autofree char *email_part = g_strndup (some_field (dataset, 40, 3) + 2, 9);
  const char *last_four = some_field (dataset, 50, 4);
  const char *reference = some_field (dataset, 60, 1);

  /* Last four, references, order ids. */
  check_search (dataset, last_four, TRUE);
  check_search (dataset, reference, TRUE);
  check_search (dataset, reference_prefix, TRUE);
  check_search (dataset, order_part, TRUE);
  check_search (dataset, "ORD-0", TRUE);
  /* Names and e-mail addresses, whole or partial, any case. */
  check_search (dataset, whole_email, TRUE);
  check_search (dataset, email_part, TRUE);
  check_search (dataset, "gmail.com", TRUE);
  check_search (dataset, "@mail.co", TRUE);
  check_search (dataset, "COSSA", TRUE);
  check_search (dataset, "maria cossa", TRUE);
  check_search (dataset, "  smith   otieno  ", FALSE);
  check_search (dataset, "josé", TRUE);
  check_search (dataset, "ÁLVAREZ", TRUE);
  check_search (dataset, "o'brien", TRUE);
  check_search (dataset, "\"quoted\"", FALSE);
  check_search (dataset, "zzqqxx", FALSE);
  /* Shorter than a trigram: matched while walking the list. */
  check_search (dataset, "li", TRUE);
  check_search (dataset, "7", TRUE);
  check_search (dataset, "é", TRUE);
  check_search (dataset, "qz", FALSE);
  check_search (dataset, "an 42", TRUE);
  check_search (dataset, "kim 0", TRUE);
}

/* Errors, cancellation, threads */

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct");
  g_autoptr(GPtrArray) small = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) large = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pages;
  sqlite3 *db;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *reference = g_strdup_printf ("kept-%u", i);

      g_ptr_array_add (small, make_transaction ("acct", reference, PD_STATUS_COMPLETED));
    }
  upsert_many (fixture->ledger, small, &error);
  g_assert_no_error (error);

  db = open_raw (fixture->path);
  pages = raw_int (db, "PRAGMA page_count");
  sqlite3_close (db);
  g_assert_true (pd_ledger_set_max_pages_sync (fixture->ledger, pages + 2, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *reference = g_strdup_printf ("lost-%u", i);
      PdTransaction *transaction = make_transaction ("acct", reference, PD_STATUS_PENDING);

      g_object_set (transaction, "customer-name", "Somebody With A Long Name", NULL);
      g_ptr_array_add (large, transaction);
    }
  upsert_many (fixture->ledger, large, &error);
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nothing of the failed batch remains, not even in the search index. */
  g_assert_cmpint (count (fixture->ledger, filter), ==, 10);
  pd_ledger_filter_set_text (filter, "lost-1");
  g_assert_cmpint (count (fixture->ledger, filter), ==, 0);
  assert_integrity (fixture->path);

  /* Once there is room again, the same write goes through. */
  g_assert_true (pd_ledger_set_max_pages_sync (fixture->ledger, 1000000, &error));
  upsert_many (fixture->ledger, large, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture->ledger, filter), ==, 1111);
  page = query (fixture->ledger, filter, 0, 5);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, 5);
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "late", PD_STATUS_PENDING);

  /* Work queued before the close still runs; after it, everything fails cleanly. */
  pd_ledger_upsert_transaction_async (fixture->ledger, transaction, NULL, NULL, store_result, &result);
  pd_ledger_close_async (fixture->ledger, NULL, store_result, &close_result);
  g_object_unref (pd_ledger_upsert_transaction_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (pd_ledger_close_finish (fixture->ledger, wait_for (&close_result), &error));
  g_clear_object (&result);

  pd_ledger_query_async (fixture->ledger, filter, 0, 10, NULL, store_result, &result);
  g_assert_null (pd_ledger_query_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpint (pd_ledger_count_sync (fixture->ledger, filter, NULL, &error), ==, -1);
  g_assert_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "never", PD_STATUS_PENDING);

  g_cancellable_cancel (cancellable);
  pd_ledger_query_async (fixture->ledger, filter, 0, 10, cancellable, store_result, &result);
  g_assert_null (pd_ledger_query_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A write cancelled before it starts does not happen. */
  pd_ledger_upsert_transaction_async (fixture->ledger, transaction, NULL, cancellable, store_result, &result);
  g_assert_null (pd_ledger_upsert_transaction_finish (fixture->ledger, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (find (fixture->ledger, "acct", "never"));
}

typedef struct
{
  PdLedger     *ledger;
  GMainContext *context;
  gboolean      done;
  guint         n_items;
} ThreadQuery;

static void
on_thread_query (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ThreadQuery *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) page = pd_ledger_query_finish (data->ledger, result, &error);

  g_assert_no_error (error);
  /* Back in the thread-default context of the thread that asked. */
  g_assert_true (g_main_context_get_thread_default () == data->context);
  g_assert_true (g_thread_self () != main_thread);
  data->n_items = g_list_model_get_n_items (page);
  data->done = TRUE;
}

static gpointer
query_from_thread (gpointer user_data)
{
  ThreadQuery *data = user_data;
  g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("acct");

  data->context = g_main_context_new ();
  g_main_context_push_thread_default (data->context);
  pd_ledger_query_async (data->ledger, filter, 0, 10, NULL, on_thread_query, data);
  while (!data->done)
    g_main_context_iteration (data->context, TRUE);
  g_main_context_pop_thread_default (data->context);
  g_main_context_unref (data->context);

  return NULL;
}

static void
test_callback_context (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PdTransaction) transaction = make_transaction ("acct", "ctx", PD_STATUS_PENDING);
  ThreadQuery query_data = { fixture->ledger, NULL, FALSE, 0 };
  GThread *thread;

  g_object_unref (upsert (fixture->ledger, transaction, NULL));
  thread = g_thread_new ("asker", query_from_thread, &query_data);
  g_thread_join (thread);
  g_assert_cmpuint (query_data.n_items, ==, 1);
}

/* The crash test */

typedef struct
{
  gint64  id;
  char   *reference;
} Committed;

static void
committed_clear (Committed *committed)
{
  g_free (committed->reference);
}

static void
read_committed (GInputStream *stream,
                GArray       *committed)
{
  g_autoptr(GString) output = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  char buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (output, buffer, n);

  /* The killed writer may have left half a line: only whole lines count. */
  lines = g_strsplit (output->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      Committed entry = { 0 };
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      entry.id = g_ascii_strtoll (parts[0], NULL, 10);
      entry.reference = g_strdup (parts[1]);
      g_assert_cmpint (entry.id, >, 0);
      g_array_append_val (committed, entry);
    }
}

static void
test_crash (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "ledger.db", NULL);
  g_autoptr(GArray) committed = g_array_new (FALSE, FALSE, sizeof (Committed));
  g_autoptr(GError) error = NULL;
  PdLedger *ledger;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  g_array_set_clear_func (committed, (GDestroyNotify) committed_clear);

  for (guint run = 0; run < 30; run++)
    {
      g_autoptr(GSubprocess) writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                        LEDGER_CRASH_WRITER, path, NULL);

      g_assert_no_error (error);
      g_usleep (g_test_rand_int_range (5, 201) * 1000);
      g_subprocess_force_exit (writer);
      g_assert_true (g_subprocess_wait (writer, NULL, &error));
      g_assert_no_error (error);
      /* It must have died of the kill, not of an error of its own. */
      g_assert_true (g_subprocess_get_if_signaled (writer));
      g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);
      read_committed (g_subprocess_get_stdout_pipe (writer), committed);
    }
  g_test_message ("%u rows reported committed over 30 kills", committed->len);
  g_assert_cmpuint (committed->len, >=, 30);

  assert_integrity (path);
  db = open_raw (path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT reference FROM transactions WHERE id = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < committed->len; i++)
    {
      const Committed *entry = &g_array_index (committed, Committed, i);

      sqlite3_bind_int64 (stmt, 1, entry->id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, entry->reference);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* And the ledger itself opens it and finds them. */
  ledger = open_ledger (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new ("crash-account");

    pd_ledger_filter_set_text (filter, g_array_index (committed, Committed, committed->len - 1).reference);
    g_assert_cmpint (count (ledger, filter), ==, 1);
  }
  close_ledger (ledger);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/pd/ledger/open/creates-and-migrates", test_open_creates_and_migrates);
  g_test_add_func ("/pd/ledger/open/default-path", test_open_default_path);
  g_test_add_func ("/pd/ledger/open/sync", test_open_sync);
  g_test_add_func ("/pd/ledger/open/not-a-database", test_open_not_a_database);
  g_test_add_func ("/pd/ledger/open/unwritable", test_open_unwritable);
  g_test_add ("/pd/ledger/open/too-new", Fixture, NULL, fixture_set_up, test_open_too_new, fixture_tear_down);

  g_test_add_func ("/pd/ledger/models/properties", test_models_properties);
  g_test_add_func ("/pd/ledger/models/last-four-only", test_models_last_four_only);
  g_test_add ("/pd/ledger/models/refuses-card-numbers", Fixture, NULL,
              fixture_set_up, test_ledger_refuses_card_numbers, fixture_tear_down);

  g_test_add ("/pd/ledger/transactions/upsert", Fixture, NULL, fixture_set_up, test_upsert_round_trip, fixture_tear_down);
  g_test_add ("/pd/ledger/transactions/invalid", Fixture, NULL, fixture_set_up, test_upsert_invalid, fixture_tear_down);
  g_test_add ("/pd/ledger/transactions/timeline", Fixture, NULL, fixture_set_up, test_timeline, fixture_tear_down);
  g_test_add ("/pd/ledger/transactions/unsettled", Fixture, NULL, fixture_set_up, test_unsettled, fixture_tear_down);
  g_test_add ("/pd/ledger/refunds/record", Fixture, NULL, fixture_set_up, test_refunds, fixture_tear_down);
  g_test_add ("/pd/ledger/refunds/update-unknown", Fixture, NULL,
              fixture_set_up, test_refund_update_unknown, fixture_tear_down);
  g_test_add ("/pd/ledger/payment-links", Fixture, NULL, fixture_set_up, test_payment_links, fixture_tear_down);
  g_test_add ("/pd/ledger/subscriptions", Fixture, NULL, fixture_set_up, test_subscriptions, fixture_tear_down);

  g_test_add ("/pd/ledger/query/filters", Dataset, NULL, dataset_set_up, test_query_filters, dataset_tear_down);
  g_test_add ("/pd/ledger/query/sorts", Dataset, NULL, dataset_set_up, test_query_sorts, dataset_tear_down);
  g_test_add ("/pd/ledger/query/search", Dataset, NULL, dataset_set_up, test_query_search, dataset_tear_down);

  g_test_add ("/pd/ledger/errors/disk-full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/pd/ledger/errors/closed", Fixture, NULL, fixture_set_up, test_closed, fixture_tear_down);
  g_test_add ("/pd/ledger/errors/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add ("/pd/ledger/threads/callback-context", Fixture, NULL,
              fixture_set_up, test_callback_context, fixture_tear_down);

  g_test_add_func ("/pd/ledger/crash/kill-writer", test_crash);

  return g_test_run ();
}
