#define G_LOG_DOMAIN "test-paysgator"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-paysgator.h"
#include "pd-paysgator-private.h"
#include "pd-test-sandbox.h"

#define API_PATH    PD_SANDBOX_PAYSGATOR_PREFIX PD_SANDBOX_API_PATH
#define WALLET_PATH API_PATH "/wallet/balance"
#define MPESA_OK    "841234567"
#define MPESA_FAILS "841230000"

static PdTestSandbox *sandbox;

/* Helpers */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static PdPaysgator *
new_client (const char *key)
{
  g_autoptr(GError) error = NULL;
  /* Pacing is the pacer's test: no client holds back here. */
  g_autoptr(PdPacer) no_limit = pd_pacer_new (0, PD_PACER_DEFAULT_WINDOW_MS);
  PdPaysgator *client = pd_paysgator_new (pd_test_sandbox_paysgator_url (sandbox), key, no_limit, &error);

  g_assert_no_error (error);
  g_assert_true (PD_IS_PAYSGATOR (client));
  return client;
}

static void
reset_sandbox (void)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sandbox, "DELETE", "/_sandbox/faults", NULL, NULL, NULL);

  g_assert_cmpuint (resp->status, ==, 204);
  pd_test_sandbox_clear_requests (sandbox);
}

/* The request log under @path: method and status of each, oldest first. */
static char *
describe_log (const char *path)
{
  g_autoptr(JsonArray) requests = pd_test_sandbox_requests (sandbox, path);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT, i > 0 ? ", " : "",
                              json_object_get_string_member (entry, "method"),
                              json_object_get_int_member (entry, "status"));
    }
  return g_string_free (text, FALSE);
}

static PdPaymentLink *
create_payment (PdPaysgator         *client,
                const PdMoney       *amount,
                const char * const  *methods,
                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  const char * const fields[] = { "name", "email", NULL };
  g_autoptr(JsonObject) metadata = json_object_new ();

  json_object_set_string_member (metadata, "till", "front");
  pd_paysgator_create_payment_async (client, amount, methods, "https://shop.example/thanks", fields,
                                     "INV-7", metadata, NULL, on_done, &result);
  return pd_paysgator_create_payment_finish (client, wait_for (&result), error);
}

static PdPaymentConfirmation *
confirm (PdPaysgator  *client,
         const char   *link_id,
         const char   *phone,
         GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) customer = json_object_new ();

  json_object_set_string_member (fields, "phoneNumber", phone);
  json_object_set_string_member (customer, "name", "Sofia Langa");
  json_object_set_string_member (customer, "country", "MZ");
  pd_paysgator_confirm_payment_async (client, link_id, "MPESA", fields, customer, "MZN", NULL, on_done, &result);
  return pd_paysgator_confirm_payment_finish (client, wait_for (&result), error);
}

static PdWallet *
wallet_balance (PdPaysgator  *client,
                GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paysgator_wallet_balance_async (client, PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  return pd_paysgator_wallet_balance_finish (client, wait_for (&result), error);
}

static PdTransaction *
get_transaction (PdPaysgator  *client,
                 const char   *id,
                 GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paysgator_get_transaction_async (client, id, PD_HTTP_FLAGS_BACKGROUND, NULL, on_done, &result);
  return pd_paysgator_get_transaction_finish (client, wait_for (&result), error);
}

static PdSubscription *
create_subscription (PdPaysgator  *client,
                     const char   *plan_id,
                     const char   *email,
                     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();

  json_object_set_int_member (metadata, "seats", 3);
  pd_paysgator_create_subscription_async (client, plan_id, email, "Daniel Otieno", metadata, NULL, on_done, &result);
  return pd_paysgator_create_subscription_finish (client, wait_for (&result), error);
}

static PdSubscription *
get_subscription (PdPaysgator  *client,
                  const char   *id,
                  GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paysgator_get_subscription_async (client, id, PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  return pd_paysgator_get_subscription_finish (client, wait_for (&result), error);
}

static GListModel *
list_subscriptions (PdPaysgator           *client,
                    const char            *email,
                    PdSubscriptionStatus   status,
                    const char            *plan_id,
                    GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paysgator_list_subscriptions_async (client, email, status, plan_id, PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  return pd_paysgator_list_subscriptions_finish (client, wait_for (&result), error);
}

static PdSubscription *
update_subscription (PdPaysgator           *client,
                     const char            *id,
                     PdSubscriptionAction   action,
                     GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_paysgator_update_subscription_async (client, id, action, NULL, on_done, &result);
  return pd_paysgator_update_subscription_finish (client, wait_for (&result), error);
}

static gboolean
list_has (GListModel *list,
          const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PdSubscription) subscription = g_list_model_get_item (list, i);

      if (g_str_equal (pd_subscription_get_id (subscription), id))
        return TRUE;
    }
  return FALSE;
}

static char *
unique_email (void)
{
  return g_strdup_printf ("daniel+%08x@example.co.ke", g_random_int ());
}

/* Payments */

static void
test_payment_link_and_confirm (void)
{
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  const char * const methods[] = { "MPESA", NULL };
  g_autoptr(PdPaymentLink) link = NULL;
  g_autoptr(PdPaymentConfirmation) confirmation = NULL;
  g_autoptr(PdWallet) before = NULL;
  g_autoptr(PdWallet) after = NULL;
  g_autoptr(PdTransaction) pending = NULL;
  g_autoptr(PdTransaction) paid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checkout_prefix = g_strconcat (pd_test_sandbox_origin (sandbox), "/paysgator/checkout/", NULL);
  PdMoney amount = { 15010, "MZN" };

  before = wallet_balance (client, &error);
  g_assert_no_error (error);

  link = create_payment (client, &amount, methods, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pd_payment_link_get_id (link));
  g_assert_true (g_str_has_prefix (pd_payment_link_get_checkout_url (link), checkout_prefix));
  g_assert_nonnull (pd_payment_link_get_transaction_id (link));
  g_assert_cmpint (pd_payment_link_get_amount (link), ==, 15010);
  g_assert_cmpstr (pd_payment_link_get_currency (link), ==, "MZN");
  g_assert_cmpstr (pd_payment_link_get_payment_methods (link)[0], ==, "MPESA");
  g_assert_null (pd_payment_link_get_payment_methods (link)[1]);
  g_assert_cmpstr (pd_payment_link_get_external_id (link), ==, "INV-7");
  g_assert_cmpint (pd_payment_link_get_status (link), ==, PD_STATUS_PENDING);

  pending = get_transaction (client, pd_payment_link_get_transaction_id (link), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (pending), ==, PD_STATUS_PENDING);
  g_assert_cmpstr (pd_transaction_get_gateway_status (pending), ==, "PENDING");

  confirmation = confirm (client, pd_payment_link_get_id (link), MPESA_OK, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (confirmation->transaction_id, ==, pd_payment_link_get_transaction_id (link));
  /* 2.5 % of 150.10, rounded half up: 3.75; exact to the cent. */
  g_assert_cmpint (confirmation->fee.minor, ==, 375);
  g_assert_cmpstr (confirmation->fee.currency, ==, "MZN");
  g_assert_cmpint (confirmation->net_amount.minor, ==, 15010 - 375);

  paid = get_transaction (client, confirmation->transaction_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_gateway (paid), ==, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpstr (pd_transaction_get_reference (paid), ==, confirmation->transaction_id);
  g_assert_cmpint (pd_transaction_get_status (paid), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_transaction_get_gateway_status (paid), ==, "SUCCESS");
  g_assert_cmpint (pd_transaction_get_amount (paid), ==, 15010);
  g_assert_cmpstr (pd_transaction_get_currency (paid), ==, "MZN");
  g_assert_cmpstr (pd_transaction_get_payment_method (paid), ==, "MPESA");
  g_assert_cmpint (pd_transaction_get_mode (paid), ==, PD_MODE_LIVE);
  g_assert_cmpint (pd_transaction_get_created_at (paid), >, 0);

  after = wallet_balance (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_balance (after) - pd_wallet_get_balance (before), ==, confirmation->net_amount.minor);
  g_clear_pointer (&confirmation, pd_payment_confirmation_free);

  /* Paid already: the link cannot be paid again. */
  confirmation = confirm (client, pd_payment_link_get_id (link), MPESA_OK, &error);
  g_assert_null (confirmation);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INVALID_ACTION);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "INVALID_ACTION");
}

static void
test_payment_refusals (void)
{
  g_autoptr(PdPaysgator) live = new_client (PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_autoptr(PdPaysgator) test = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_autoptr(PdPaymentLink) link = NULL;
  g_autoptr(PdPaymentConfirmation) confirmation = NULL;
  g_autoptr(PdTransaction) failed = NULL;
  g_autoptr(GError) error = NULL;
  PdMoney usd = { 1000, "USD" };
  PdMoney zero = { 0, "MZN" };
  PdMoney mzn = { 50000, "MZN" };

  link = create_payment (live, &usd, NULL, &error);
  g_assert_null (link);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "CURRENCY_MISMATCH");
  g_clear_error (&error);

  link = create_payment (live, &zero, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "MISSING_FIELDS");
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "amount must be greater than 0");
  g_clear_error (&error);

  link = create_payment (live, &mzn, NULL, &error);
  g_assert_no_error (error);

  /* A TEST key cannot touch a LIVE link. */
  confirmation = confirm (test, pd_payment_link_get_id (link), MPESA_OK, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_MODE_MISMATCH);
  g_clear_error (&error);

  confirmation = confirm (live, pd_payment_link_get_id (link), MPESA_FAILS, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_DECLINED);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "PAYMENT_FAILED");
  g_clear_error (&error);

  failed = get_transaction (live, pd_payment_link_get_transaction_id (link), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (failed), ==, PD_STATUS_FAILED);
  g_clear_object (&failed);

  failed = get_transaction (test, pd_payment_link_get_transaction_id (link), &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_MODE_MISMATCH);
  g_clear_error (&error);

  confirmation = confirm (live, "00000000-0000-4000-8000-000000000000", MPESA_OK, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  failed = get_transaction (live, "no/such id", &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
}

static void
test_payment_not_retried (void)
{
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_autoptr(PdPaymentLink) link = NULL;
  g_autoptr(PdPaymentConfirmation) confirmation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  PdMoney amount = { 2500, "MZN" };

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, API_PATH "/payment/create", "reset", 1, 0, TRUE);
  link = create_payment (client, &amount, NULL, &error);
  g_assert_null (link);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_clear_error (&error);
  log = describe_log (API_PATH "/payment/create");
  g_assert_cmpstr (log, ==, "POST 0");
  g_clear_pointer (&log, g_free);

  /* A 5xx to a POST is the caller's to judge: never re-sent. */
  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, API_PATH "/payment/create", "http_503", 1, 0, FALSE);
  link = create_payment (client, &amount, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER);
  g_clear_error (&error);
  log = describe_log (API_PATH "/payment/create");
  g_assert_cmpstr (log, ==, "POST 503");
  g_clear_pointer (&log, g_free);

  link = create_payment (client, &amount, NULL, &error);
  g_assert_no_error (error);
  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, API_PATH "/payment/confirm", "truncated", 1, 0, TRUE);
  confirmation = confirm (client, pd_payment_link_get_id (link), MPESA_OK, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  log = describe_log (API_PATH "/payment/confirm");
  g_assert_cmpstr (log, ==, "POST 0");
}

/* Wallet and keys */

static void
test_wallet_modes (void)
{
  g_autoptr(PdPaysgator) live = new_client (PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_autoptr(PdPaysgator) test = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_autoptr(PdWallet) live_wallet = NULL;
  g_autoptr(PdWallet) test_wallet = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  live_wallet = wallet_balance (live, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_mode (live_wallet), ==, PD_MODE_LIVE);
  g_assert_cmpstr (pd_wallet_get_currency (live_wallet), ==, "MZN");
  g_assert_nonnull (pd_wallet_get_wallet_id (live_wallet));
  g_assert_cmpint (pd_wallet_get_fetched_at (live_wallet), >, 0);

  test_wallet = wallet_balance (test, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_mode (test_wallet), ==, PD_MODE_TEST);
  g_assert_cmpstr (pd_wallet_get_wallet_id (test_wallet), !=, pd_wallet_get_wallet_id (live_wallet));

  /* A wallet in another currency: the gateway has none (pd-error's mapping
   * of a real answer, through the client's own connection). */
  pd_http_request_async (pd_paysgator_get_http (live), "GET", "/wallet/balance?currency=USD", NULL,
                         PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  response = pd_http_request_finish (pd_paysgator_get_http (live), wait_for (&result), &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_WALLET_NOT_FOUND);
}

static void
test_unauthorized_and_credentials (void)
{
  g_autoptr(PdPaysgator) wrong = new_client ("live_not_a_key");
  g_autoptr(PdPaysgator) good = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_autoptr(PdWallet) wallet = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;

  wallet = wallet_balance (wrong, &error);
  g_assert_null (wallet);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 401);
  g_clear_error (&error);

  pd_paysgator_check_credentials_async (good, NULL, on_done, &result);
  g_assert_true (pd_paysgator_check_credentials_finish (good, wait_for (&result), &error));
  g_assert_no_error (error);

  pd_paysgator_check_credentials_async (wrong, NULL, on_done, &bad_result);
  g_assert_false (pd_paysgator_check_credentials_finish (wrong, wait_for (&bad_result), &error));
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
}

static void
test_faults (void)
{
  static const struct {
    const char     *kind;
    guint           param;
    PdGatewayError  code;
  } cases[] = {
    { "http_500", 0, PD_GATEWAY_ERROR_SERVER },
    { "http_502", 0, PD_GATEWAY_ERROR_SERVER },
    { "http_503", 0, PD_GATEWAY_ERROR_SERVER },
    { "malformed", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "truncated", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "huge", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "reset", 0, PD_GATEWAY_ERROR_NETWORK },
    { "delay", 2500, PD_GATEWAY_ERROR_TIMEOUT },
  };
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  PdHttp *http = pd_paysgator_get_http (client);

  pd_http_set_max_attempts (http, 1);
  pd_http_set_timeout (http, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdWallet) wallet = NULL;
      g_autoptr(GError) error = NULL;

      reset_sandbox ();
      pd_test_sandbox_fault (sandbox, WALLET_PATH, cases[i].kind, 1, cases[i].param, FALSE);
      wallet = wallet_balance (client, &error);
      if (!g_error_matches (error, PD_GATEWAY_ERROR, (gint) cases[i].code))
        g_error ("fault %s: expected code %d, got %s", cases[i].kind, cases[i].code,
                 error != NULL ? error->message : "success");
      g_assert_null (wallet);
      if (g_str_equal (cases[i].kind, "http_500"))
        g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "INTERNAL_ERROR");
    }
}

static void
test_rate_limited_then_ok (void)
{
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_autoptr(PdWallet) wallet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, WALLET_PATH, "rate_limit", 1, 1, FALSE);
  wallet = wallet_balance (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_mode (wallet), ==, PD_MODE_TEST);
  log = describe_log (WALLET_PATH);
  g_assert_cmpstr (log, ==, "GET 429, GET 200");
}

/* Subscriptions */

static void
pay_subscription (const char *checkout_url)
{
  g_autoptr(PdTestResponse) resp = NULL;

  resp = pd_test_http (sandbox, "POST", checkout_url, "application/x-www-form-urlencoded",
                       "paymentMethod=MPESA&phoneNumber=" MPESA_OK, NULL);
  g_assert_no_error (resp->error);
  g_assert_cmpuint (resp->status, ==, 200);
}

static void
test_subscriptions (void)
{
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_autoptr(PdPaysgator) other_mode = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  GStrv plans = pd_test_sandbox_plan_ids (sandbox);
  g_autofree char *email = unique_email ();
  g_autoptr(PdSubscription) created = NULL;
  g_autoptr(PdSubscription) fetched = NULL;
  g_autoptr(PdSubscription) updated = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = NULL;
  const char *id;

  created = create_subscription (client, plans[1], email, &error);
  g_assert_no_error (error);
  id = pd_subscription_get_id (created);
  g_assert_nonnull (id);
  g_assert_cmpint (pd_subscription_get_status (created), ==, PD_SUBSCRIPTION_STATUS_PAUSED);
  g_assert_true (g_str_has_prefix (pd_subscription_get_checkout_url (created), pd_test_sandbox_origin (sandbox)));
  g_assert_cmpstr (pd_subscription_get_plan_id (created), ==, plans[1]);
  g_assert_cmpstr (pd_subscription_get_customer_email (created), ==, email);
  g_assert_cmpstr (pd_subscription_get_customer_name (created), ==, "Daniel Otieno");

  fetched = get_subscription (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_subscription_get_id (fetched), ==, id);
  g_assert_cmpstr (pd_subscription_get_plan_id (fetched), ==, plans[1]);
  g_assert_cmpstr (pd_subscription_get_customer_email (fetched), ==, email);
  g_assert_cmpint (pd_subscription_get_status (fetched), ==, PD_SUBSCRIPTION_STATUS_PAUSED);
  g_assert_cmpint (pd_subscription_get_created_at (fetched), >, 0);
  g_assert_cmpint (pd_subscription_get_current_period_end (fetched), ==, 0);
  g_clear_object (&fetched);

  /* The filters go out escaped: a '+' in an address stays a '+'. */
  reset_sandbox ();
  list = list_subscriptions (client, email, PD_SUBSCRIPTION_STATUS_PAUSED, plans[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_assert_true (list_has (list, id));
  g_assert_true (g_list_model_get_item_type (list) == PD_TYPE_SUBSCRIPTION);
  requests = pd_test_sandbox_requests (sandbox, API_PATH "/subscriptions");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "query"),
                            "customerEmail=daniel%2B"));
  g_clear_object (&list);

  list = list_subscriptions (client, email, PD_SUBSCRIPTION_STATUS_ACTIVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_clear_object (&list);

  list = list_subscriptions (client, NULL, PD_SUBSCRIPTION_STATUS_UNKNOWN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (list_has (list, id));
  g_clear_object (&list);

  /* Each mode sees its own. */
  list = list_subscriptions (other_mode, email, PD_SUBSCRIPTION_STATUS_UNKNOWN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  fetched = get_subscription (other_mode, id, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_MODE_MISMATCH);
  g_clear_error (&error);

  /* Never paid: nothing to resume. */
  updated = update_subscription (client, id, PD_SUBSCRIPTION_ACTION_RESUME, &error);
  g_assert_null (updated);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INVALID_ACTION);
  g_clear_error (&error);

  pay_subscription (pd_subscription_get_checkout_url (created));
  fetched = get_subscription (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (fetched), ==, PD_SUBSCRIPTION_STATUS_ACTIVE);
  g_assert_cmpint (pd_subscription_get_current_period_start (fetched), >, 0);
  g_assert_cmpint (pd_subscription_get_current_period_end (fetched), >, pd_subscription_get_current_period_start (fetched));

  updated = update_subscription (client, id, PD_SUBSCRIPTION_ACTION_PAUSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_subscription_get_id (updated), ==, id);
  g_assert_cmpint (pd_subscription_get_status (updated), ==, PD_SUBSCRIPTION_STATUS_PAUSED);
  g_assert_cmpint (pd_subscription_get_current_period_end (updated), ==, pd_subscription_get_current_period_end (fetched));
  g_clear_object (&updated);

  updated = update_subscription (client, id, PD_SUBSCRIPTION_ACTION_RESUME, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (updated), ==, PD_SUBSCRIPTION_STATUS_ACTIVE);
  g_clear_object (&updated);

  updated = update_subscription (client, id, PD_SUBSCRIPTION_ACTION_CANCEL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (updated), ==, PD_SUBSCRIPTION_STATUS_CANCELED);
  g_clear_object (&updated);

  updated = update_subscription (client, id, PD_SUBSCRIPTION_ACTION_CANCEL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INVALID_ACTION);
  g_clear_error (&error);

  updated = update_subscription (client, "00000000-0000-4000-8000-000000000000", PD_SUBSCRIPTION_ACTION_PAUSE, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An unknown plan. */
  g_clear_object (&created);
  created = create_subscription (client, "no-such-plan", email, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  created = create_subscription (client, plans[0], "not an address", &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
}

static void
test_subscription_past_due (void)
{
  g_autoptr(PdPaysgator) client = new_client (PD_SANDBOX_PAYSGATOR_TEST_KEY);
  GStrv plans = pd_test_sandbox_plan_ids (sandbox);
  g_autofree char *email = unique_email ();
  g_autoptr(PdSubscription) created = NULL;
  g_autoptr(PdSubscription) fetched = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;

  created = create_subscription (client, plans[0], email, &error);
  g_assert_no_error (error);
  pay_subscription (pd_subscription_get_checkout_url (created));

  /* A monthly plan, forty days later and unpaid. */
  pd_test_sandbox_advance_clock (sandbox, 40 * 24 * 3600);
  fetched = get_subscription (client, pd_subscription_get_id (created), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_subscription_get_status (fetched), ==, PD_SUBSCRIPTION_STATUS_PAST_DUE);

  list = list_subscriptions (client, email, PD_SUBSCRIPTION_STATUS_PAST_DUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
}

/* Parsers: both shapes, and answers that must not be trusted */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

/* The same object bare and inside {"success": true, "data": …}. */
static JsonNode *
wrapped (const char *bare)
{
  g_autofree char *text = g_strdup_printf ("{\"success\": true, \"data\": %s}", bare);

  return parse (text);
}

static void
test_parse_both_shapes (void)
{
  static const char link_json[] = "{\"paymentlinkId\": \"L1\", \"checkoutUrl\": \"https://paysgator.com/c/L1\","
                                  "\"transactionId\": \"T1\"}";
  static const char confirm_json[] = "{\"transactionId\": \"T1\", \"fee\": 2.5, \"netAmount\": \"97.50\"}";
  static const char wallet_json[] = "{\"walletId\": \"W\", \"currency\": \"MZN\", \"balance\": \"1234.56\","
                                    "\"mode\": \"LIVE\"}";
  static const char txn_json[] = "{\"id\": \"T1\", \"amount\": 100.1, \"currency\": \"MZN\", \"status\": \"REFUNDED\","
                                 "\"method\": \"CARD\", \"createdAt\": \"2025-05-10T12:30:45.123Z\", \"mode\": \"TEST\"}";
  static const char sub_json[] = "{\"id\": \"S1\", \"status\": \"PAST_DUE\", \"currentPeriodEnd\": \"2025-06-10T00:00:00Z\"}";

  for (guint shape = 0; shape < 2; shape++)
    {
      g_autoptr(JsonNode) link_node = shape ? wrapped (link_json) : parse (link_json);
      g_autoptr(JsonNode) confirm_node = shape ? wrapped (confirm_json) : parse (confirm_json);
      g_autoptr(JsonNode) wallet_node = shape ? wrapped (wallet_json) : parse (wallet_json);
      g_autoptr(JsonNode) txn_node = shape ? wrapped (txn_json) : parse (txn_json);
      g_autoptr(JsonNode) sub_node = shape ? wrapped (sub_json) : parse (sub_json);
      g_autoptr(PdPaymentLink) link = NULL;
      g_autoptr(PdPaymentConfirmation) confirmation = NULL;
      g_autoptr(PdWallet) wallet = NULL;
      g_autoptr(PdTransaction) transaction = NULL;
      g_autoptr(PdSubscription) subscription = NULL;
      g_autoptr(GError) error = NULL;

      link = pd_paysgator_parse_payment_link (link_node, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (pd_payment_link_get_id (link), ==, "L1");
      g_assert_cmpstr (pd_payment_link_get_checkout_url (link), ==, "https://paysgator.com/c/L1");
      g_assert_cmpstr (pd_payment_link_get_transaction_id (link), ==, "T1");

      confirmation = pd_paysgator_parse_confirmation (confirm_node, "MZN", &error);
      g_assert_no_error (error);
      g_assert_cmpint (confirmation->fee.minor, ==, 250);
      g_assert_cmpint (confirmation->net_amount.minor, ==, 9750);

      wallet = pd_paysgator_parse_wallet (wallet_node, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pd_wallet_get_balance (wallet), ==, 123456);
      g_assert_cmpint (pd_wallet_get_mode (wallet), ==, PD_MODE_LIVE);
      g_assert_cmpstr (pd_wallet_get_wallet_id (wallet), ==, "W");

      transaction = pd_paysgator_parse_transaction (txn_node, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pd_transaction_get_amount (transaction), ==, 10010);
      g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_REFUNDED);
      g_assert_cmpint (pd_transaction_get_mode (transaction), ==, PD_MODE_TEST);
      g_assert_cmpint (pd_transaction_get_created_at (transaction), ==, 1746880245);

      subscription = pd_paysgator_parse_subscription (sub_node, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pd_subscription_get_status (subscription), ==, PD_SUBSCRIPTION_STATUS_PAST_DUE);
      g_assert_cmpint (pd_subscription_get_current_period_end (subscription), ==, 1749513600);
    }
}

static void
test_parse_variants (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) link_node = parse ("{\"success\": true, \"data\": {\"paymentLinkId\": \"L2\","
                                         "\"checkoutUrl\": \"https://paysgator.com/c/L2\"}}");
  g_autoptr(JsonNode) created_node = parse ("{\"success\": true, \"data\": {\"subscriptionId\": \"S2\","
                                            "\"checkoutUrl\": \"https://paysgator.com/s/S2\", \"status\": \"PAUSED\"}}");
  g_autoptr(JsonNode) wallet_number = parse ("{\"currency\": \"JPY\", \"balance\": 1500}");
  g_autoptr(JsonNode) wallet_negative = parse ("{\"currency\": \"MZN\", \"balance\": \"-12.50\", \"mode\": \"test\"}");
  g_autoptr(JsonNode) list_wrapped = parse ("{\"success\": true, \"data\": [{\"id\": \"A\", \"status\": \"ACTIVE\"},"
                                            "{\"id\": \"B\", \"status\": \"CANCELED\", \"planId\": \"P\"}]}");
  g_autoptr(JsonNode) list_bare = parse ("[{\"id\": \"C\", \"status\": \"SUSPENDED\"}]");
  g_autoptr(JsonNode) list_empty = parse ("{\"data\": []}");
  g_autoptr(PdPaymentLink) link = NULL;
  g_autoptr(PdSubscription) created = NULL;
  g_autoptr(PdWallet) wallet = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(PdSubscription) first = NULL;

  link = pd_paysgator_parse_payment_link (link_node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_payment_link_get_id (link), ==, "L2");
  g_assert_null (pd_payment_link_get_transaction_id (link));

  created = pd_paysgator_parse_subscription (created_node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_subscription_get_id (created), ==, "S2");
  g_assert_cmpstr (pd_subscription_get_checkout_url (created), ==, "https://paysgator.com/s/S2");

  wallet = pd_paysgator_parse_wallet (wallet_number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_balance (wallet), ==, 1500);
  g_assert_cmpstr (pd_wallet_get_currency (wallet), ==, "JPY");
  g_clear_object (&wallet);

  wallet = pd_paysgator_parse_wallet (wallet_negative, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_wallet_get_balance (wallet), ==, -1250);
  g_assert_cmpint (pd_wallet_get_mode (wallet), ==, PD_MODE_TEST);

  list = pd_paysgator_parse_subscription_list (list_wrapped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  first = g_list_model_get_item (list, 0);
  g_assert_cmpstr (pd_subscription_get_id (first), ==, "A");
  g_assert_cmpint (pd_subscription_get_status (first), ==, PD_SUBSCRIPTION_STATUS_ACTIVE);
  g_clear_object (&list);

  list = pd_paysgator_parse_subscription_list (list_bare, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_clear_object (&first);
  first = g_list_model_get_item (list, 0);
  g_assert_cmpint (pd_subscription_get_status (first), ==, PD_SUBSCRIPTION_STATUS_UNKNOWN);
  g_clear_object (&list);

  list = pd_paysgator_parse_subscription_list (list_empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

typedef enum
{
  PARSE_LINK,
  PARSE_CONFIRMATION,
  PARSE_WALLET,
  PARSE_TRANSACTION,
  PARSE_SUBSCRIPTION,
  PARSE_LIST,
} ParseKind;

static gboolean
parse_as (ParseKind    kind,
          JsonNode    *node,
          GError     **error)
{
  g_autoptr(GObject) object = NULL;
  g_autoptr(PdPaymentConfirmation) confirmation = NULL;

  switch (kind)
    {
    case PARSE_LINK:
      object = G_OBJECT (pd_paysgator_parse_payment_link (node, error));
      break;
    case PARSE_CONFIRMATION:
      confirmation = pd_paysgator_parse_confirmation (node, "MZN", error);
      return confirmation != NULL;
    case PARSE_WALLET:
      object = G_OBJECT (pd_paysgator_parse_wallet (node, error));
      break;
    case PARSE_TRANSACTION:
      object = G_OBJECT (pd_paysgator_parse_transaction (node, error));
      break;
    case PARSE_SUBSCRIPTION:
      object = G_OBJECT (pd_paysgator_parse_subscription (node, error));
      break;
    case PARSE_LIST:
      object = G_OBJECT (pd_paysgator_parse_subscription_list (node, error));
      break;
    default:
      g_assert_not_reached ();
    }
  return object != NULL;
}

static void
test_parse_refused (void)
{
  static const struct {
    ParseKind       kind;
    const char     *json;
    PdGatewayError  code;
  } cases[] = {
    { PARSE_LINK, "{}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"success\": true}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"success\": true, \"data\": \"x\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"paymentlinkId\": 5, \"checkoutUrl\": \"https://p.example/c\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"paymentlinkId\": \"L\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"paymentlinkId\": \"L\", \"checkoutUrl\": \"javascript:alert(1)\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"paymentlinkId\": \"L\", \"checkoutUrl\": \"http://p.example/plain\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"paymentlinkId\": \"L\", \"checkoutUrl\": \"https://p.example/c\", \"transactionId\": {}}",
      PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"success\": \"true\", \"data\": {}}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LINK, "{\"success\": false, \"error\": {\"message\": \"No\", \"code\": \"MISSING_FIELDS\"}}",
      PD_GATEWAY_ERROR_VALIDATION },
    { PARSE_LINK, "{\"error\": {\"message\": \"Gone\", \"code\": \"NOT_FOUND\"}}", PD_GATEWAY_ERROR_NOT_FOUND },
    { PARSE_CONFIRMATION, "{\"transactionId\": \"T\", \"fee\": 1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_CONFIRMATION, "{\"transactionId\": \"T\", \"fee\": 0.001, \"netAmount\": 1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_CONFIRMATION, "{\"transactionId\": \"T\", \"fee\": 1, \"netAmount\": -1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_CONFIRMATION, "{\"transactionId\": \"T\", \"fee\": null, \"netAmount\": 1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_CONFIRMATION, "{\"fee\": 1, \"netAmount\": 1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"12.345\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"1e5\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"--1\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"-\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"99999999999999999999\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": 99999999999999999999}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": -5}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": [1]}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"mzn\", \"balance\": \"1\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": 943, \"balance\": \"1\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"1\", \"mode\": \"SANDBOX\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_WALLET, "{\"currency\": \"MZN\", \"balance\": \"1\", \"walletId\": 1}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_TRANSACTION, "{\"amount\": 1, \"currency\": \"MZN\", \"status\": \"SUCCESS\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_TRANSACTION, "{\"id\": \"T\", \"amount\": 1, \"currency\": \"MZN\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_TRANSACTION, "{\"id\": \"T\", \"amount\": true, \"currency\": \"MZN\", \"status\": \"SUCCESS\"}",
      PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_TRANSACTION, "{\"id\": \"T\", \"amount\": 1, \"currency\": \"MZN\", \"status\": \"SUCCESS\","
                         "\"createdAt\": \"10/05/2025\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_TRANSACTION, "{\"id\": \"T\", \"amount\": 1, \"currency\": \"MZN\", \"status\": \"SUCCESS\","
                         "\"method\": 7}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_SUBSCRIPTION, "{\"status\": \"ACTIVE\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_SUBSCRIPTION, "{\"id\": \"S\"}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_SUBSCRIPTION, "{\"id\": \"S\", \"status\": \"ACTIVE\", \"currentPeriodEnd\": 1749513600}",
      PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_SUBSCRIPTION, "[]", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LIST, "{\"data\": {}}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LIST, "{\"data\": [1]}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LIST, "{\"data\": [{\"id\": \"S\", \"status\": \"ACTIVE\"}, {\"id\": \"T\"}]}", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LIST, "\"list\"", PD_GATEWAY_ERROR_BAD_RESPONSE },
    { PARSE_LIST, "{\"success\": false, \"error\": {\"message\": \"Bad key\", \"code\": \"UNAUTHORIZED\"}}",
      PD_GATEWAY_ERROR_UNAUTHORIZED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(GError) error = NULL;

      if (parse_as (cases[i].kind, node, &error))
        g_error ("%s: accepted", cases[i].json);
      if (!g_error_matches (error, PD_GATEWAY_ERROR, (gint) cases[i].code))
        g_error ("%s: expected code %d, got %s", cases[i].json, cases[i].code, error->message);
    }

  /* No body at all. */
  for (ParseKind kind = PARSE_LINK; kind <= PARSE_LIST; kind++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (parse_as (kind, NULL, &error));
      g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The sandbox's own rate limit is off; 429s come from its fault switch. */
  sandbox = pd_test_sandbox_start (FALSE, 0);

  g_test_add_func ("/pd/paysgator/parse/both-shapes", test_parse_both_shapes);
  g_test_add_func ("/pd/paysgator/parse/variants", test_parse_variants);
  g_test_add_func ("/pd/paysgator/parse/refused", test_parse_refused);

  g_test_add_func ("/pd/paysgator/payment/link-and-confirm", test_payment_link_and_confirm);
  g_test_add_func ("/pd/paysgator/payment/refusals", test_payment_refusals);
  g_test_add_func ("/pd/paysgator/payment/not-retried", test_payment_not_retried);
  g_test_add_func ("/pd/paysgator/wallet/modes", test_wallet_modes);
  g_test_add_func ("/pd/paysgator/wallet/faults", test_faults);
  g_test_add_func ("/pd/paysgator/wallet/rate-limited-then-ok", test_rate_limited_then_ok);
  g_test_add_func ("/pd/paysgator/keys", test_unauthorized_and_credentials);
  g_test_add_func ("/pd/paysgator/subscriptions/lifecycle", test_subscriptions);
  /* Last: it moves the sandbox's clock. */
  g_test_add_func ("/pd/paysgator/subscriptions/past-due", test_subscription_past_due);

  ret = g_test_run ();

  pd_test_sandbox_stop (sandbox);
  return ret;
}
