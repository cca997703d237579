#define G_LOG_DOMAIN "test-pesogate"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-pesogate.h"
#include "pd-pesogate-private.h"
#include "pd-test-sandbox.h"

#define API_PATH   PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH
#define INIT_PATH  API_PATH "/payments/initialize"
#define RETURN_URL "https://shop.example/paid"
#define CANCEL_URL "https://shop.example/cancelled"

static PdTestSandbox *sandbox;
static SoupSession   *browser;

/* Helpers: blocking calls */

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

static PdPesogate *
new_client_with (const char *key,
                 const char *secret)
{
  g_autoptr(GError) error = NULL;
  /* Pacing is the pacer's test: no client holds back here, and a 429's
   * pause stays with the client that got it. */
  g_autoptr(PdPacer) no_limit = pd_pacer_new (0, PD_PACER_DEFAULT_WINDOW_MS);
  PdPesogate *client = pd_pesogate_new (pd_test_sandbox_pesogate_url (sandbox), key, secret, no_limit, &error);

  g_assert_no_error (error);
  g_assert_true (PD_IS_PESOGATE (client));
  return client;
}

static PdPesogate *
new_client (void)
{
  return new_client_with (PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
}

static PdPaymentOutcome *
initialize (PdPesogate        *client,
            PdPaymentRequest  *request,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pesogate_initialize_async (client, request, NULL, on_done, &result);
  return pd_pesogate_initialize_finish (client, wait_for (&result), error);
}

static PdTransaction *
status (PdPesogate  *client,
        const char  *reference,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pesogate_status_async (client, reference, PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  return pd_pesogate_status_finish (client, wait_for (&result), error);
}

static PdRefund *
refund (PdPesogate     *client,
        const char     *reference,
        const PdMoney  *amount,
        PdStatus        status_before,
        PdTransaction **transaction,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pesogate_refund_async (client, reference, amount, status_before, NULL, on_done, &result);
  return pd_pesogate_refund_finish (client, wait_for (&result), transaction, error);
}

static char *
future_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_strdup_printf ("%d", g_date_time_get_year (now) + 3);
}

static PdPaymentRequest *
new_request (const char *provider,
             const char *card,
             const char *amount,
             const char *currency)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *year = future_year ();
  PdPaymentRequest *request;
  PdMoney money;

  g_assert_true (pd_money_parse_decimal (amount, currency, &money, &error));
  request = pd_payment_request_new (&money, provider);
  g_assert_true (pd_payment_request_set_card (request, card, "12", year,
                                              g_str_has_prefix (card, "3") ? "1234" : "123", &error));
  g_assert_no_error (error);
  pd_payment_request_set_customer (request, "amina@example.com", "Amina \"Mama\" Mwangi", NULL);
  pd_payment_request_set_urls (request, RETURN_URL, CANCEL_URL);
  return request;
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

static void
reset_sandbox (void)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sandbox, "DELETE", "/_sandbox/faults", NULL, NULL, NULL);

  g_assert_cmpuint (resp->status, ==, 204);
  pd_test_sandbox_clear_requests (sandbox);
}

/* Helpers: the 3-D Secure challenge, as a browser does it */

typedef struct
{
  guint  status;
  char  *body;
  char  *location;
} Page;

static void
page_free (Page *page)
{
  g_free (page->body);
  g_free (page->location);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static Page *
browse (const char *method,
        const char *url,
        GHashTable *form)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Page *page = g_new0 (Page, 1);
  const char *location;
  gsize len;
  const char *data;

  g_assert_nonnull (msg);
  /* return_url is the shop's: the test stops where the app intercepts it. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      char *encoded = soup_form_encode_hash (form);
      g_autoptr(GBytes) body = g_bytes_new_take (encoded, strlen (encoded));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }

  bytes = soup_session_send_and_read (browser, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  page->status = soup_message_get_status (msg);
  page->body = g_strndup (data != NULL ? data : "", len);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  page->location = g_strdup (location);
  return page;
}

static char *
html_unescape (const char *text)
{
  GString *out = g_string_new (text);

  g_string_replace (out, "&quot;", "\"", 0);
  g_string_replace (out, "&#39;", "'", 0);
  g_string_replace (out, "&lt;", "<", 0);
  g_string_replace (out, "&gt;", ">", 0);
  g_string_replace (out, "&amp;", "&", 0);
  return g_string_free (out, FALSE);
}

/* The first form of @html: its action resolved against @base, and its
 * hidden inputs. */
static char *
find_form (const char  *html,
           const char  *base,
           GHashTable **fields)
{
  g_autoptr(GRegex) form_re = g_regex_new ("<form\\b[^>]*\\baction=\"([^\"]*)\"", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) input_re = g_regex_new ("<input\\b[^>]*type=\"hidden\"[^>]*name=\"([^\"]*)\"[^>]*value=\"([^\"]*)\"",
                                            G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GMatchInfo) inputs = NULL;
  g_autofree char *action = NULL;
  g_autofree char *raw_action = NULL;

  if (!g_regex_match (form_re, html, 0, &match))
    g_error ("no form in: %s", html);
  raw_action = g_match_info_fetch (match, 1);
  action = html_unescape (raw_action);

  *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_regex_match (input_re, html, 0, &inputs);
  while (g_match_info_matches (inputs))
    {
      g_autofree char *value = g_match_info_fetch (inputs, 2);

      g_hash_table_insert (*fields, g_match_info_fetch (inputs, 1), html_unescape (value));
      g_match_info_next (inputs, NULL);
    }
  return g_uri_resolve_relative (base, action, G_URI_FLAGS_NONE, NULL);
}

/* Follows @outcome's challenge to the ACS, types @otp, and returns where
 * the browser is sent at the end. */
static char *
complete_challenge (const PdPaymentOutcome *outcome,
                    const char             *otp)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GHashTable) acs_fields = NULL;
  g_autoptr(Page) acs = NULL;
  g_autoptr(Page) done = NULL;
  g_autofree char *acs_url = NULL;
  g_autofree char *done_url = NULL;

  if (pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_RENDER_HTML)
    acs_url = find_form (pd_payment_outcome_get_html_content (outcome), pd_payment_outcome_get_base_uri (outcome),
                         &fields);
  else
    {
      g_autoptr(Page) redirect = NULL;

      g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_REDIRECT);
      redirect = browse ("GET", pd_payment_outcome_get_redirect_url (outcome), NULL);
      g_assert_cmpuint (redirect->status, ==, 200);
      acs_url = find_form (redirect->body, pd_payment_outcome_get_redirect_url (outcome), &fields);
    }

  g_assert_true (g_str_has_prefix (acs_url, pd_test_sandbox_origin (sandbox)));
  acs = browse ("POST", acs_url, fields);
  g_assert_cmpuint (acs->status, ==, 200);

  done_url = find_form (acs->body, acs_url, &acs_fields);
  g_hash_table_insert (acs_fields, g_strdup ("otp"), g_strdup (otp));
  g_hash_table_insert (acs_fields, g_strdup ("action"), g_strdup ("submit"));
  done = browse ("POST", done_url, acs_fields);
  g_assert_true (SOUP_STATUS_IS_REDIRECTION (done->status));
  return g_steal_pointer (&done->location);
}

/* A completed payment of @amount USD through @provider: its reference. */
static char *
make_completed (PdPesogate *client,
                const char *provider,
                const char *card,
                const char *amount)
{
  g_autoptr(PdPaymentRequest) request = new_request (provider, card, amount, "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  outcome = initialize (client, request, &error);
  g_assert_no_error (error);
  location = complete_challenge (outcome, "1234");
  g_assert_true (g_str_has_prefix (location, RETURN_URL));
  return g_strdup (pd_payment_outcome_get_transaction_reference (outcome));
}

static void
assert_no_card_in_error (const GError *error,
                         const char   *card)
{
  GHashTable *fields = pd_gateway_error_get_fields (error);

  g_assert_null (strstr (error->message, card));
  if (pd_gateway_error_get_detail (error) != NULL)
    g_assert_null (strstr (pd_gateway_error_get_detail (error), card));
  if (pd_gateway_error_get_gateway_message (error) != NULL)
    g_assert_null (strstr (pd_gateway_error_get_gateway_message (error), card));
  if (fields != NULL)
    {
      GHashTableIter iter;
      gpointer messages;

      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, NULL, &messages))
        for (guint i = 0; ((char **) messages)[i] != NULL; i++)
          g_assert_null (strstr (((char **) messages)[i], card));
    }
}

/* Initialize: the whole flow */

static void
test_flow_mpgs_render_html (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242 4242 4242 4242", "100.10", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdTransaction) before = NULL;
  g_autoptr(PdTransaction) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) order_re = g_regex_new ("^PD-[0-9]{8}-[0-9A-F]{12}$", 0, 0, NULL);
  g_autofree char *origin = g_strconcat (pd_test_sandbox_origin (sandbox), "/", NULL);
  g_autofree char *location = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  outcome = initialize (client, request, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_RENDER_HTML);
  g_assert_cmpstr (pd_payment_outcome_get_base_uri (outcome), ==, origin);
  g_assert_nonnull (strstr (pd_payment_outcome_get_html_content (outcome), "threedsChallengeRedirectForm"));
  g_assert_cmpstr (pd_payment_outcome_get_message (outcome), ==, "3DS authentication required");
  g_assert_nonnull (pd_payment_outcome_get_transaction_reference (outcome));
  g_assert_true (g_regex_match (order_re, pd_payment_request_get_order_id (request), 0, NULL));
  g_assert_cmpstr (pd_payment_outcome_get_order_id (outcome), ==, pd_payment_request_get_order_id (request));

  /* The card is gone from memory; what may be kept of it is not. */
  g_assert_false (pd_payment_request_has_card (request));
  g_assert_cmpstr (pd_payment_request_get_card_last_four (request), ==, "4242");
  g_assert_cmpint (pd_payment_request_get_card_brand (request), ==, PD_CARD_BRAND_VISA);

  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 200");

  before = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (before), ==, PD_STATUS_INITIALIZED);
  g_assert_cmpint (pd_transaction_get_completed_at (before), ==, 0);

  location = complete_challenge (outcome, "1234");
  g_assert_true (g_str_has_prefix (location, RETURN_URL));

  after = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (after), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_transaction_get_gateway_status (after), ==, "completed");
  g_assert_cmpint (pd_transaction_get_gateway (after), ==, PD_GATEWAY_PESOGATE);
  g_assert_cmpstr (pd_transaction_get_reference (after), ==, pd_payment_outcome_get_transaction_reference (outcome));
  g_assert_cmpint (pd_transaction_get_amount (after), ==, 10010);
  g_assert_cmpstr (pd_transaction_get_currency (after), ==, "USD");
  g_assert_cmpstr (pd_transaction_get_order_id (after), ==, pd_payment_request_get_order_id (request));
  g_assert_cmpstr (pd_transaction_get_payment_method (after), ==, "card");
  g_assert_cmpstr (pd_transaction_get_card_brand (after), ==, "visa");
  g_assert_cmpstr (pd_transaction_get_card_last_four (after), ==, "4242");
  g_assert_cmpint (pd_transaction_get_created_at (after), >, 0);
  g_assert_cmpint (pd_transaction_get_completed_at (after), >=, pd_transaction_get_created_at (after));
}

static void
test_flow_cybersource_redirect (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("cybersource", "3782 822463 10005", "1500", "JPY");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdTransaction) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  pd_payment_request_set_order_id (request, "SHOP-ORDER-7 \"é\"");
  outcome = initialize (client, request, &error);
  g_assert_no_error (error);

  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_REDIRECT);
  g_assert_true (g_str_has_prefix (pd_payment_outcome_get_redirect_url (outcome), pd_test_sandbox_origin (sandbox)));
  g_assert_null (pd_payment_outcome_get_html_content (outcome));
  g_assert_cmpstr (pd_payment_outcome_get_order_id (outcome), ==, "SHOP-ORDER-7 \"é\"");

  location = complete_challenge (outcome, "1234");
  g_assert_true (g_str_has_prefix (location, RETURN_URL));

  after = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (after), ==, PD_STATUS_COMPLETED);
  g_assert_cmpint (pd_transaction_get_amount (after), ==, 1500);
  g_assert_cmpstr (pd_transaction_get_currency (after), ==, "JPY");
  g_assert_cmpstr (pd_transaction_get_card_brand (after), ==, "amex");
  g_assert_cmpstr (pd_transaction_get_card_last_four (after), ==, "0005");
  g_assert_cmpstr (pd_transaction_get_order_id (after), ==, "SHOP-ORDER-7 \"é\"");
}

static void
test_flow_declined (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4000000000000002", "12.00", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdTransaction) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  outcome = initialize (client, request, &error);
  g_assert_no_error (error);
  location = complete_challenge (outcome, "1234");
  g_assert_true (g_str_has_prefix (location, CANCEL_URL));

  after = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (after), ==, PD_STATUS_FAILED);
  g_assert_cmpint (pd_transaction_get_completed_at (after), ==, 0);
}

/* Initialize: refusals */

static void
test_initialize_validation (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  PdMoney zero = { 0, "USD" };
  GHashTable *fields;
  const char * const *messages;

  request = pd_payment_request_new (&zero, "mpgs");
  g_assert_true (pd_payment_request_set_card (request, "4242424242424242", "13", "1999", "123", NULL));
  outcome = initialize (client, request, &error);
  g_assert_null (outcome);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 422);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Validation failed");

  fields = pd_gateway_error_get_fields (error);
  g_assert_nonnull (fields);
  messages = g_hash_table_lookup (fields, "amount");
  g_assert_nonnull (messages);
  g_assert_cmpstr (messages[0], ==, "The amount must be at least 0.01.");
  g_assert_nonnull (g_hash_table_lookup (fields, "exp_month"));
  g_assert_null (g_hash_table_lookup (fields, "order_id"));
  assert_no_card_in_error (error, "4242424242424242");
  g_assert_false (pd_payment_request_has_card (request));
}

static void
test_initialize_unauthorized (void)
{
  g_autoptr(PdPesogate) client = new_client_with (PD_SANDBOX_PESOGATE_API_KEY, "sk_wrong_secret");
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242424242424242", "5.00", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = initialize (client, request, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 401);
  g_assert_false (pd_payment_request_has_card (request));
}

static void
test_initialize_sent_once (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242424242424242", "5.00", "USD");
  g_autoptr(PdPaymentOutcome) first = NULL;
  g_autoptr(PdPaymentOutcome) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  first = initialize (client, request, &error);
  g_assert_no_error (error);

  /* The card is wiped: the same request cannot charge again. */
  second = initialize (client, request, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 200");
}

static void
test_initialize_order_id_taken (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) first = new_request ("mpgs", "4242424242424242", "5.00", "USD");
  g_autoptr(PdPaymentRequest) again = new_request ("mpgs", "4242424242424242", "5.00", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order_id = g_strdup_printf ("SHOP-%08x", g_random_int ());

  pd_payment_request_set_order_id (first, order_id);
  outcome = initialize (client, first, &error);
  g_assert_no_error (error);
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  /* A payment with this order id exists: the clerk must check, not charge. */
  pd_payment_request_set_order_id (again, order_id);
  outcome = initialize (client, again, &error);
  g_assert_null (outcome);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 422);
  g_assert_nonnull (strstr (error->message, order_id));
  g_assert_nonnull (g_hash_table_lookup (pd_gateway_error_get_fields (error), "order_id"));
}

/* Initialize: lost answers never charge twice */

static void
test_initialize_reset_after_processing (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("cybersource", "4111111111111111", "42.00", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  /* The gateway takes the payment, then the connection drops. */
  pd_test_sandbox_fault (sandbox, INIT_PATH, "reset", 1, 0, TRUE);

  outcome = initialize (client, request, &error);
  g_assert_null (outcome);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (error->message, pd_payment_request_get_order_id (request)));

  /* The retry carried the same order id: the gateway refused it as taken,
   * so it holds exactly one transaction for this payment. (A reset
   * answer is logged with status 0.) */
  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 0, POST 422");
  g_assert_cmpstr (g_hash_table_lookup (pd_gateway_error_get_fields (error), "order_id") ?
                   ((char **) g_hash_table_lookup (pd_gateway_error_get_fields (error), "order_id"))[0] : NULL,
                   ==, "The order id has already been taken.");
}

static void
test_initialize_reset_before_processing (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "5123450000000008", "42.00", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, INIT_PATH, "reset", 1, 0, FALSE);

  /* Nothing was taken: the retry, with the same order id, goes through. */
  outcome = initialize (client, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_RENDER_HTML);
  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 0, POST 200");

  transaction = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_transaction_get_order_id (transaction), ==, pd_payment_request_get_order_id (request));
}

static void
test_initialize_timeout_after_processing (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242424242424242", "9.99", "USD");
  g_autoptr(PdPaymentRequest) again = new_request ("mpgs", "4242424242424242", "9.99", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  pd_http_set_timeout (pd_pesogate_get_http (client), 1);
  /* The gateway answers only after the client gave up, having taken it. */
  pd_test_sandbox_fault (sandbox, INIT_PATH, "delay", 1, 1500, TRUE);

  outcome = initialize (client, request, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (error->message, pd_payment_request_get_order_id (request)));
  g_clear_error (&error);

  /* Once the sandbox has handled it (1.5 s after it came, with room for a
   * busy machine): one request, not retried. */
  g_usleep (2000 * G_TIME_SPAN_MILLISECOND);
  requests = pd_test_sandbox_requests (sandbox, INIT_PATH);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);

  /* And it was taken: its order id is used. */
  pd_payment_request_set_order_id (again, pd_payment_request_get_order_id (request));
  outcome = initialize (client, again, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 422);
  log = describe_log (INIT_PATH);
  g_assert_true (g_str_has_suffix (log, ", POST 422"));
}

static void
test_initialize_server_error_retried (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242424242424242", "9.99", "USD");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, INIT_PATH, "http_503", 1, 0, FALSE);
  outcome = initialize (client, request, &error);
  g_assert_no_error (error);
  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 503, POST 200");
  g_clear_pointer (&outcome, pd_payment_outcome_free);
  g_clear_pointer (&log, g_free);

  /* A 5xx to the last attempt: it may have been taken. */
  reset_sandbox ();
  pd_http_set_max_attempts (pd_pesogate_get_http (client), 1);
  g_clear_pointer (&request, pd_payment_request_unref);
  request = new_request ("mpgs", "4242424242424242", "9.99", "USD");
  pd_test_sandbox_fault (sandbox, INIT_PATH, "http_500", 1, 0, TRUE);
  outcome = initialize (client, request, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 500);
  log = describe_log (INIT_PATH);
  g_assert_cmpstr (log, ==, "POST 500");
}

/* Status */

static void
test_status_not_found (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *reference = g_uuid_string_random ();

  transaction = status (client, reference, &error);
  g_assert_null (transaction);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Transaction not found");
  g_clear_error (&error);

  /* A reference is one path segment, whatever it holds: never a query,
   * never another endpoint. */
  reset_sandbox ();
  transaction = status (client, "a/b?c=d e", &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  requests = pd_test_sandbox_requests (sandbox, API_PATH);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "query"), ==, "");
  g_clear_pointer (&requests, json_array_unref);

  transaction = status (client, "../initialize", &error);
  g_assert_nonnull (error);
  requests = pd_test_sandbox_requests (sandbox, INIT_PATH);
  g_assert_cmpuint (json_array_get_length (requests), ==, 0);
}

static void
test_status_unauthorized (void)
{
  g_autoptr(PdPesogate) client = new_client_with ("pk_wrong", PD_SANDBOX_PESOGATE_API_SECRET);
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  transaction = status (client, "550e8400-e29b-41d4-a716-446655440000", &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 401);
}

static void
test_status_rate_limited_then_ok (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "mpgs", "4242424242424242", "3.00");
  g_autofree char *path = g_strdup_printf (API_PATH "/payments/%s/status", reference);
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  gint64 start;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, path, "rate_limit", 1, 1, FALSE);
  start = g_get_monotonic_time ();
  transaction = status (client, reference, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_COMPLETED);
  /* Retry-After: 1 was honoured. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  log = describe_log (path);
  g_assert_cmpstr (log, ==, "GET 429, GET 200");
}

static void
test_status_faults (void)
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
    { "rate_limit", 120, PD_GATEWAY_ERROR_RATE_LIMITED },
  };
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "cybersource", "5555555555554444", "8.00");
  g_autofree char *path = g_strdup_printf (API_PATH "/payments/%s/status", reference);
  PdHttp *http = pd_pesogate_get_http (client);

  pd_http_set_max_attempts (http, 1);
  pd_http_set_timeout (http, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdTransaction) transaction = NULL;
      g_autoptr(GError) error = NULL;

      reset_sandbox ();
      pd_test_sandbox_fault (sandbox, path, cases[i].kind, 1, cases[i].param, FALSE);
      transaction = status (client, reference, &error);
      if (!g_error_matches (error, PD_GATEWAY_ERROR, (gint) cases[i].code))
        g_error ("fault %s: expected code %d, got %s", cases[i].kind, cases[i].code,
                 error != NULL ? error->message : "success");
      g_assert_null (transaction);
      g_assert_nonnull (error->message);
      if (cases[i].code == PD_GATEWAY_ERROR_RATE_LIMITED)
        g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), >=, 100 * 1000);
      if (g_str_has_prefix (cases[i].kind, "http_"))
        g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, g_ascii_strtoull (cases[i].kind + 5, NULL, 10));
    }

  /* The 429 paused this client only: another one is answered at once. */
  {
    g_autoptr(PdPesogate) other = new_client ();
    g_autoptr(PdTransaction) transaction = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpuint (pd_pacer_get_waiting_seconds (pd_http_get_pacer (http)), >, 60);
    transaction = status (other, reference, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_COMPLETED);
  }
}

static void
test_status_retried (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "mpgs", "340000000000009", "1.00");
  g_autofree char *path = g_strdup_printf (API_PATH "/payments/%s/status", reference);
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, path, "http_502", 1, 0, FALSE);
  transaction = status (client, reference, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_amount (transaction), ==, 100);
  log = describe_log (path);
  g_assert_cmpstr (log, ==, "GET 502, GET 200");
}

static void
test_status_cancelled (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, API_PATH, "delay", 1, 2000, FALSE);
  pd_pesogate_status_async (client, "any", PD_HTTP_FLAGS_BACKGROUND, cancellable, on_done, &result);
  g_cancellable_cancel (cancellable);
  transaction = pd_pesogate_status_finish (client, wait_for (&result), &error);
  g_assert_null (transaction);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
}

/* Refunds */

static void
test_refund_partial_then_full (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "mpgs", "4242424242424242", "25.00");
  g_autoptr(PdRefund) first = NULL;
  g_autoptr(PdRefund) second = NULL;
  g_autoptr(PdRefund) third = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *refund_path = g_strdup_printf (API_PATH "/payments/%s/refund", reference);
  g_autofree char *log = NULL;
  PdMoney part = { 1010, "USD" };

  reset_sandbox ();
  first = refund (client, reference, &part, PD_STATUS_COMPLETED, &transaction, &error);
  g_assert_no_error (error);
  g_assert_null (transaction);
  g_assert_cmpint (pd_refund_get_outcome (first), ==, PD_REFUND_OUTCOME_SUCCEEDED);
  g_assert_cmpint (pd_refund_get_amount (first), ==, 1010);
  g_assert_cmpstr (pd_refund_get_currency (first), ==, "USD");
  g_assert_cmpstr (pd_refund_get_transaction (first), ==, reference);
  g_assert_cmpstr (pd_refund_get_message (first), ==, "Transaction refunded successfully");
  g_assert_cmpint (pd_refund_get_requested_at (first), >, 0);

  transaction = status (client, reference, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_REFUNDED);
  g_clear_object (&transaction);

  /* The rest (14.90). */
  second = refund (client, reference, NULL, PD_STATUS_REFUNDED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_outcome (second), ==, PD_REFUND_OUTCOME_SUCCEEDED);
  g_assert_cmpint (pd_refund_get_amount (second), ==, 0);

  /* Nothing is left: a clear refusal. */
  third = refund (client, reference, NULL, PD_STATUS_REFUNDED, NULL, &error);
  g_assert_null (third);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 400);
  g_assert_nonnull (strstr (error->message, "fully refunded"));

  log = describe_log (refund_path);
  g_assert_cmpstr (log, ==, "POST 200, POST 200, POST 400");
}

static void
test_refund_refused (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autoptr(PdPaymentRequest) request = new_request ("mpgs", "4242424242424242", "2000", "JPY");
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdRefund) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  const char *reference;
  PdMoney too_much = { 2001, "JPY" };
  PdMoney cents = { 1, "USD" };

  /* Not completed yet: the challenge was never finished. */
  outcome = initialize (client, request, &error);
  g_assert_no_error (error);
  reference = pd_payment_outcome_get_transaction_reference (outcome);
  result = refund (client, reference, NULL, PD_STATUS_INITIALIZED, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "not in a completed state"));
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==,
                   "Cannot refund transaction: Transaction is not in a completed state");
  g_clear_error (&error);

  location = complete_challenge (outcome, "1234");
  result = refund (client, reference, &too_much, PD_STATUS_COMPLETED, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "2000 JPY"));
  g_clear_error (&error);

  /* 0.01 of a yen: the amount field is refused. */
  result = refund (client, reference, &cents, PD_STATUS_COMPLETED, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 422);
  g_assert_nonnull (g_hash_table_lookup (pd_gateway_error_get_fields (error), "amount"));
  g_clear_error (&error);

  result = refund (client, "no-such-payment", NULL, PD_STATUS_COMPLETED, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
}

static guint
count_in_log (JsonArray  *requests,
              const char *method,
              const char *suffix)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (entry, "method"), method) &&
          g_str_has_suffix (json_object_get_string_member (entry, "path"), suffix))
        n++;
    }
  return n;
}

static void
test_refund_lost_answer (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "cybersource", "4111111111111111", "30.00");
  g_autofree char *refund_path = g_strdup_printf (API_PATH "/payments/%s/refund", reference);
  g_autofree char *payment_path = g_strdup_printf (API_PATH "/payments/%s/", reference);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(PdRefund) result = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  PdMoney part = { 500, "USD" };

  reset_sandbox ();
  /* The gateway refunds, then the connection drops before the answer. */
  pd_test_sandbox_fault (sandbox, refund_path, "reset", 1, 0, TRUE);
  result = refund (client, reference, &part, PD_STATUS_COMPLETED, &transaction, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_outcome (result), ==, PD_REFUND_OUTCOME_SUCCEEDED);
  g_assert_cmpint (pd_refund_get_amount (result), ==, 500);
  g_assert_nonnull (pd_refund_get_message (result));
  g_assert_nonnull (transaction);
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_REFUNDED);

  /* Exactly one refund went out, then the status was asked. */
  requests = pd_test_sandbox_requests (sandbox, payment_path);
  g_assert_cmpuint (json_array_get_length (requests), ==, 2);
  g_assert_cmpuint (count_in_log (requests, "POST", "/refund"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 1), "method"), ==, "GET");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_array_get_object_element (requests, 1), "path"),
                                   "/status"));
  g_clear_object (&result);
  g_clear_object (&transaction);
  g_clear_pointer (&requests, json_array_unref);

  /* Refunded before and after: this refund's fate cannot be told. */
  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, refund_path, "reset", 1, 0, TRUE);
  result = refund (client, reference, &part, PD_STATUS_REFUNDED, &transaction, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_outcome (result), ==, PD_REFUND_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (pd_refund_get_message (result), "Do not refund again"));
  requests = pd_test_sandbox_requests (sandbox, payment_path);
  g_assert_cmpuint (count_in_log (requests, "POST", "/refund"), ==, 1);
  g_assert_cmpuint (count_in_log (requests, "GET", "/status"), ==, 1);
}

static void
test_refund_server_error (void)
{
  g_autoptr(PdPesogate) client = new_client ();
  g_autofree char *reference = make_completed (client, "mpgs", "4242424242424242", "30.00");
  g_autofree char *refund_path = g_strdup_printf (API_PATH "/payments/%s/refund", reference);
  g_autofree char *payment_path = g_strdup_printf (API_PATH "/payments/%s/", reference);
  g_autoptr(PdRefund) result = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  /* A proxy's 502 page: not refunded, but the client cannot know. */
  reset_sandbox ();
  pd_test_sandbox_fault (sandbox, refund_path, "http_502", 1, 0, FALSE);
  result = refund (client, reference, NULL, PD_STATUS_COMPLETED, &transaction, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_refund_get_outcome (result), ==, PD_REFUND_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (pd_refund_get_message (result), "Completed"));
  g_assert_cmpstr (pd_refund_get_currency (result), ==, "USD");
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_COMPLETED);
  log = describe_log (payment_path);
  g_assert_cmpstr (log, ==, "POST 502, GET 200");
  g_clear_object (&result);
  g_clear_object (&transaction);
  g_clear_pointer (&log, g_free);

  /* The answer is lost and so is the status check. */
  reset_sandbox ();
  pd_http_set_max_attempts (pd_pesogate_get_http (client), 1);
  pd_test_sandbox_fault (sandbox, refund_path, "truncated", 1, 0, TRUE);
  pd_test_sandbox_fault (sandbox, payment_path, "http_500", 1, 0, FALSE);
  result = refund (client, reference, NULL, PD_STATUS_COMPLETED, &transaction, &error);
  g_assert_no_error (error);
  g_assert_null (transaction);
  g_assert_cmpint (pd_refund_get_outcome (result), ==, PD_REFUND_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (pd_refund_get_message (result), "could not be checked"));
  log = describe_log (payment_path);
  g_assert_cmpstr (log, ==, "POST 0, GET 500");
}

/* Test connection */

static void
test_check_credentials (void)
{
  g_autoptr(PdPesogate) good = new_client ();
  g_autoptr(PdPesogate) bad = new_client_with ("pk_wrong", "sk_wrong");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;

  pd_pesogate_check_credentials_async (good, NULL, on_done, &result);
  g_assert_true (pd_pesogate_check_credentials_finish (good, wait_for (&result), &error));
  g_assert_no_error (error);

  pd_pesogate_check_credentials_async (bad, NULL, on_done, &bad_result);
  g_assert_false (pd_pesogate_check_credentials_finish (bad, wait_for (&bad_result), &error));
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
}

/* The request body and the parsers, without the network */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_request_body (void)
{
  g_autoptr(PdPaymentRequest) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GError) error = NULL;
  PdMoney amount = { 10010, "USD" };
  PdMoney kwd = { 1005, "KWD" };
  PdMoney yen = { 1500, "JPY" };
  JsonObject *object;
  char *body;

  request = pd_payment_request_new (&amount, "mpgs");
  /* No card yet, no body. */
  g_assert_null (pd_payment_request_to_json (request));

  g_assert_false (pd_payment_request_set_card (request, "4242x4242", "12", "30", "123", &error));
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_INVALID_CHARACTER);
  g_assert_null (strstr (error->message, "4242"));
  g_clear_error (&error);
  g_assert_false (pd_payment_request_set_card (request, "4242424242424242", "12", "30", "12", &error));
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_CVV);
  g_clear_error (&error);
  g_assert_false (pd_payment_request_has_card (request));

  g_assert_true (pd_payment_request_set_card (request, "4242-4242 4242-4242", "07", "2031", "987", &error));
  pd_payment_request_set_customer (request, "a@example.com", "Zoë \"Z\" \\ O'Neil\n\x01", "");
  pd_payment_request_set_urls (request, RETURN_URL, NULL);
  json_object_set_string_member (metadata, "till", "3");
  pd_payment_request_set_metadata (request, metadata);
  g_assert_null (pd_payment_request_to_json (request));
  pd_payment_request_set_order_id (request, "ORDER-1");

  body = pd_payment_request_to_json (request);
  /* Exact: not 100.09999999999999. */
  g_assert_nonnull (strstr (body, "\"amount\":100.10,"));
  node = parse (body);
  pd_card_wipe_string (body);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "order_id"), ==, "ORDER-1");
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (object, "payment_provider"), ==, "mpgs");
  g_assert_cmpstr (json_object_get_string_member (object, "card_number"), ==, "4242424242424242");
  g_assert_cmpstr (json_object_get_string_member (object, "cvv"), ==, "987");
  g_assert_cmpstr (json_object_get_string_member (object, "exp_month"), ==, "07");
  g_assert_cmpstr (json_object_get_string_member (object, "exp_year"), ==, "2031");
  g_assert_cmpstr (json_object_get_string_member (object, "customer_name"), ==, "Zoë \"Z\" \\ O'Neil\n\x01");
  g_assert_false (json_object_has_member (object, "customer_phone"));
  g_assert_false (json_object_has_member (object, "cancel_url"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "metadata"), "till"), ==, "3");

  pd_payment_request_wipe_card (request);
  g_assert_false (pd_payment_request_has_card (request));
  g_assert_null (pd_payment_request_to_json (request));
  g_clear_pointer (&request, pd_payment_request_unref);
  g_clear_pointer (&node, json_node_unref);

  request = pd_payment_request_new (&kwd, "cybersource");
  g_assert_true (pd_payment_request_set_card (request, "4111111111111111", "1", "29", "123", NULL));
  pd_payment_request_ensure_order_id (request);
  body = pd_payment_request_to_json (request);
  g_assert_nonnull (strstr (body, "\"amount\":1.005,"));
  pd_card_wipe_string (body);
  g_clear_pointer (&request, pd_payment_request_unref);

  request = pd_payment_request_new (&yen, "cybersource");
  g_assert_true (pd_payment_request_set_card (request, "4111111111111111", "1", "29", "123", NULL));
  pd_payment_request_set_order_id (request, "Y");
  body = pd_payment_request_to_json (request);
  g_assert_nonnull (strstr (body, "\"amount\":1500,"));
  pd_card_wipe_string (body);
}

static void
test_origin (void)
{
  static const char * const cases[][2] = {
    { "https://gateway.pesogate.com/api/v1", "https://gateway.pesogate.com/" },
    { "https://gw.example:8443/x/api/v1/", "https://gw.example:8443/" },
    { "http://127.0.0.1:8750/pesogate/api/v1", "http://127.0.0.1:8750/" },
    { "https://[::1]:9/api", "https://[::1]:9/" },
    { "not a url", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *origin = pd_pesogate_origin_of (cases[i][0]);

      g_assert_cmpstr (origin, ==, cases[i][1]);
    }
}

static PdTransaction *
parse_status (const char  *json,
              GError     **error)
{
  g_autoptr(JsonNode) node = parse (json);

  return pd_pesogate_parse_status (node, "REF", error);
}

static void
test_parse_status (void)
{
  static const char * const bad[] = {
    "[]",
    "\"text\"",
    "{}",
    "{\"data\": []}",
    "{\"data\": {\"amount\": 1, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": 5, \"amount\": 1, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"XYZ\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": -1, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1.001, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": \"1e3\", \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 99999999999999999999, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1e400, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": true, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": {}, \"currency\": \"USD\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"card_last_four\": \"12345\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"card_last_four\": \"4111111111111111\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"card_last_four\": \"12a4\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"card_last_four\": 1234}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"created_at\": \"yesterday\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"created_at\": 1715344245}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"completed_at\": \"1900-01-01T00:00:00Z\"}}",
    "{\"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\", \"order_id\": []}}",
    "{\"success\": \"yes\", \"data\": {\"status\": \"completed\", \"amount\": 1, \"currency\": \"USD\"}}",
  };
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PdTransaction) none = parse_status (bad[i], &error);

      if (!g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE))
        g_error ("%s: expected BAD_RESPONSE, got %s", bad[i], error ? error->message : "a transaction");
      g_assert_null (none);
      g_assert_null (strstr (pd_gateway_error_get_detail (error), "4111111111111111"));
      g_clear_error (&error);
    }

  /* The spec's example, exactly. */
  transaction = parse_status ("{\"success\": true, \"message\": \"Transaction status retrieved\", \"data\": {"
                              "\"status\": \"completed\", \"amount\": 100.50, \"currency\": \"USD\","
                              "\"order_id\": \"ORDER123456\", \"payment_method\": \"card\", \"card_type\": \"visa\","
                              "\"card_last_four\": \"1234\", \"created_at\": \"2025-05-10T12:30:45Z\","
                              "\"completed_at\": \"2025-05-10T12:32:15Z\"}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_amount (transaction), ==, 10050);
  g_assert_cmpstr (pd_transaction_get_reference (transaction), ==, "REF");
  g_assert_cmpstr (pd_transaction_get_card_last_four (transaction), ==, "1234");
  g_assert_cmpint (pd_transaction_get_created_at (transaction), ==, 1746880245);
  g_assert_cmpint (pd_transaction_get_completed_at (transaction), ==, 1746880335);
  g_clear_object (&transaction);

  /* Bare, a numeric string, nulls, another brand spelling, odd status. */
  transaction = parse_status ("{\"status\": \"Canceled\", \"amount\": \"100.10\", \"currency\": \"KES\","
                              "\"order_id\": null, \"card_type\": \"Master Card\", \"card_last_four\": \"\","
                              "\"completed_at\": null, \"created_at\": \"2025-05-10T15:30:45+03:00\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_CANCELLED);
  g_assert_cmpstr (pd_transaction_get_gateway_status (transaction), ==, "Canceled");
  g_assert_cmpint (pd_transaction_get_amount (transaction), ==, 10010);
  g_assert_cmpstr (pd_transaction_get_currency (transaction), ==, "KES");
  g_assert_null (pd_transaction_get_order_id (transaction));
  g_assert_cmpstr (pd_transaction_get_card_brand (transaction), ==, "mastercard");
  g_assert_null (pd_transaction_get_card_last_four (transaction));
  g_assert_cmpint (pd_transaction_get_created_at (transaction), ==, 1746880245);
  g_assert_cmpint (pd_transaction_get_completed_at (transaction), ==, 0);
  g_clear_object (&transaction);

  transaction = parse_status ("{\"data\": {\"status\": \"settling\", \"amount\": 7, \"currency\": \"JPY\","
                              "\"card_type\": \"Elo\"}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_transaction_get_status (transaction), ==, PD_STATUS_UNKNOWN);
  g_assert_cmpstr (pd_transaction_get_gateway_status (transaction), ==, "settling");
  g_assert_cmpint (pd_transaction_get_amount (transaction), ==, 7);
  g_assert_cmpstr (pd_transaction_get_card_brand (transaction), ==, "unknown");
  g_clear_object (&transaction);

  /* success: false is the gateway's refusal, not a transaction. */
  transaction = parse_status ("{\"success\": false, \"message\": \"Transaction not found\"}", &error);
  g_assert_null (transaction);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Transaction not found");
}

static PdPaymentOutcome *
parse_initialize (guint        http_status,
                  const char  *json,
                  GError     **error)
{
  g_autoptr(JsonNode) node = json != NULL ? parse (json) : NULL;

  return pd_pesogate_parse_initialize (http_status, node, "https://gw.example/", error);
}

static void
test_parse_initialize (void)
{
  static const char * const bad[] = {
    "[]",
    "{}",
    "{\"redirect_url\": \"https://acs.example/x\"}",
    "{\"transaction_reference\": 7, \"redirect_url\": \"https://acs.example/x\"}",
    "{\"transaction_reference\": \"\", \"redirect_url\": \"https://acs.example/x\"}",
    "{\"transaction_reference\": \"R\", \"action\": \"render_pdf\", \"html_content\": \"<p>\"}",
    "{\"transaction_reference\": \"R\", \"action\": 1}",
    "{\"transaction_reference\": \"R\", \"action\": \"render_html\"}",
    "{\"transaction_reference\": \"R\", \"action\": \"render_html\", \"html_content\": \"\"}",
    "{\"transaction_reference\": \"R\", \"action\": \"render_html\", \"html_content\": []}",
    "{\"transaction_reference\": \"R\", \"redirect_url\": \"javascript:alert(1)\"}",
    "{\"transaction_reference\": \"R\", \"redirect_url\": \"http://acs.example/plain\"}",
    "{\"transaction_reference\": \"R\", \"redirect_url\": \"/relative\"}",
    "{\"transaction_reference\": \"R\", \"redirect_url\": {\"u\": 1}}",
    "{\"transaction_reference\": \"R\", \"success\": 1}",
    "{\"transaction_reference\": \"R\", \"message\": false}",
    "{\"transaction_reference\": \"R\", \"status\": 3}",
  };
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PdPaymentOutcome) none = parse_initialize (200, bad[i], &error);

      if (!g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE))
        g_error ("%s: expected BAD_RESPONSE, got %s", bad[i], error ? error->message : "an outcome");
      g_assert_null (none);
      g_clear_error (&error);
    }
  outcome = parse_initialize (200, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  outcome = parse_initialize (200, "{\"success\": true, \"message\": \"Transaction initialized successfully\","
                                   "\"redirect_url\": \"https://checkout.payment-gateway.com/abc123\","
                                   "\"transaction_reference\": \"550e8400-e29b-41d4-a716-446655440000\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_REDIRECT);
  g_assert_cmpstr (pd_payment_outcome_get_redirect_url (outcome), ==, "https://checkout.payment-gateway.com/abc123");
  g_assert_cmpstr (pd_payment_outcome_get_message (outcome), ==, "Transaction initialized successfully");
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  outcome = parse_initialize (200, "{\"success\": true, \"message\": \"3DS authentication required\","
                                   "\"action\": \"render_html\", \"html_content\": \"<form></form>\","
                                   "\"transaction_reference\": \"R1\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_RENDER_HTML);
  g_assert_cmpstr (pd_payment_outcome_get_html_content (outcome), ==, "<form></form>");
  g_assert_cmpstr (pd_payment_outcome_get_base_uri (outcome), ==, "https://gw.example/");
  g_assert_null (pd_payment_outcome_get_redirect_url (outcome));
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  /* No 3-D Secure: a final answer, the status call has the truth. */
  outcome = parse_initialize (200, "{\"success\": true, \"message\": \"Payment completed\","
                                   "\"transaction_reference\": \"R2\", \"redirect_url\": null}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_FINAL);
  g_assert_cmpint (pd_payment_outcome_get_status (outcome), ==, PD_STATUS_UNKNOWN);
  g_assert_cmpstr (pd_payment_outcome_get_message (outcome), ==, "Payment completed");
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  outcome = parse_initialize (200, "{\"transaction_reference\": \"R3\", \"data\": {\"status\": \"completed\"}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_status (outcome), ==, PD_STATUS_COMPLETED);
  g_assert_cmpstr (pd_payment_outcome_get_gateway_status (outcome), ==, "completed");
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  outcome = parse_initialize (200, "{\"success\": false, \"message\": \"Declined\", \"transaction_reference\": \"R4\"}",
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_FINAL);
  g_assert_cmpint (pd_payment_outcome_get_status (outcome), ==, PD_STATUS_FAILED);
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  /* A decline as a 4xx naming the transaction is a final answer too. */
  outcome = parse_initialize (402, "{\"success\": false, \"message\": \"Card declined\","
                                   "\"transaction_reference\": \"R5\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_FINAL);
  g_assert_cmpint (pd_payment_outcome_get_status (outcome), ==, PD_STATUS_FAILED);
  g_assert_cmpstr (pd_payment_outcome_get_transaction_reference (outcome), ==, "R5");
  g_assert_cmpstr (pd_payment_outcome_get_message (outcome), ==, "Card declined");
  g_clear_pointer (&outcome, pd_payment_outcome_free);

  outcome = parse_initialize (422, "{\"success\": false, \"message\": \"Validation failed\","
                                   "\"errors\": {\"amount\": [\"The amount field is required.\"]}}", &error);
  g_assert_null (outcome);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  g_assert_nonnull (g_hash_table_lookup (pd_gateway_error_get_fields (error), "amount"));
  g_clear_error (&error);

  outcome = parse_initialize (200, "{\"success\": false, \"message\": \"No\"}", &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  outcome = parse_initialize (500, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER);
}

static void
test_parse_refund (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) ok = parse ("{\"success\": true, \"message\": \"Transaction refunded successfully\","
                                  "\"transaction_reference\": \"R\"}");
  g_autoptr(JsonNode) refused = parse ("{\"success\": false, \"message\": \"Cannot refund\"}");
  g_autoptr(JsonNode) odd = parse ("{\"success\": true, \"transaction_reference\": 12}");
  g_autoptr(JsonNode) array = parse ("[1]");

  g_assert_true (pd_pesogate_parse_refund (ok, &message, &error));
  g_assert_cmpstr (message, ==, "Transaction refunded successfully");
  g_clear_pointer (&message, g_free);

  g_assert_true (pd_pesogate_parse_refund (NULL, &message, &error));
  g_assert_null (message);

  g_assert_false (pd_pesogate_parse_refund (refused, &message, &error));
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_false (pd_pesogate_parse_refund (odd, &message, &error));
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_assert_false (pd_pesogate_parse_refund (array, &message, &error));
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The sandbox's own rate limit is off; 429s come from its fault switch. */
  sandbox = pd_test_sandbox_start (FALSE, 0);
  browser = soup_session_new ();

  g_test_add_func ("/pd/pesogate/request/body", test_request_body);
  g_test_add_func ("/pd/pesogate/request/origin", test_origin);
  g_test_add_func ("/pd/pesogate/parse/status", test_parse_status);
  g_test_add_func ("/pd/pesogate/parse/initialize", test_parse_initialize);
  g_test_add_func ("/pd/pesogate/parse/refund", test_parse_refund);

  g_test_add_func ("/pd/pesogate/initialize/mpgs-render-html", test_flow_mpgs_render_html);
  g_test_add_func ("/pd/pesogate/initialize/cybersource-redirect", test_flow_cybersource_redirect);
  g_test_add_func ("/pd/pesogate/initialize/declined", test_flow_declined);
  g_test_add_func ("/pd/pesogate/initialize/validation", test_initialize_validation);
  g_test_add_func ("/pd/pesogate/initialize/unauthorized", test_initialize_unauthorized);
  g_test_add_func ("/pd/pesogate/initialize/sent-once", test_initialize_sent_once);
  g_test_add_func ("/pd/pesogate/initialize/order-id-taken", test_initialize_order_id_taken);
  g_test_add_func ("/pd/pesogate/initialize/reset-after-processing", test_initialize_reset_after_processing);
  g_test_add_func ("/pd/pesogate/initialize/reset-before-processing", test_initialize_reset_before_processing);
  g_test_add_func ("/pd/pesogate/initialize/timeout-after-processing", test_initialize_timeout_after_processing);
  g_test_add_func ("/pd/pesogate/initialize/server-error", test_initialize_server_error_retried);

  g_test_add_func ("/pd/pesogate/status/not-found", test_status_not_found);
  g_test_add_func ("/pd/pesogate/status/unauthorized", test_status_unauthorized);
  g_test_add_func ("/pd/pesogate/status/rate-limited-then-ok", test_status_rate_limited_then_ok);
  g_test_add_func ("/pd/pesogate/status/faults", test_status_faults);
  g_test_add_func ("/pd/pesogate/status/retried", test_status_retried);
  g_test_add_func ("/pd/pesogate/status/cancelled", test_status_cancelled);

  g_test_add_func ("/pd/pesogate/refund/partial-then-full", test_refund_partial_then_full);
  g_test_add_func ("/pd/pesogate/refund/refused", test_refund_refused);
  g_test_add_func ("/pd/pesogate/refund/lost-answer", test_refund_lost_answer);
  g_test_add_func ("/pd/pesogate/refund/server-error", test_refund_server_error);

  g_test_add_func ("/pd/pesogate/check-credentials", test_check_credentials);

  ret = g_test_run ();

  g_clear_object (&browser);
  pd_test_sandbox_stop (sandbox);
  return ret;
}
