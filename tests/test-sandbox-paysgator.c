/* test-sandbox-paysgator.c: the sandbox's PaysGator API over real HTTP */
#define G_LOG_DOMAIN "test-sandbox-paysgator"

#include "config.h"

#include <string.h>

#include "pd-decimal.h"
#include "pd-test-sandbox.h"

#define LIVE PD_SANDBOX_PAYSGATOR_LIVE_KEY
#define TEST PD_SANDBOX_PAYSGATOR_TEST_KEY

static const char * const both_keys[] = { LIVE, TEST };

/* One sandbox for the tests that only add objects; those that move its
 * clock start their own. */
static PdTestSandbox *sb;

static PdTestResponse *
pays (const char *key,
      const char *method,
      const char *api_path,
      const char *json_body)
{
  return pd_test_paysgator (sb, key, method, api_path, json_body);
}

static const char *
mode_of (const char *key)
{
  return g_str_equal (key, LIVE) ? "LIVE" : "TEST";
}

static const char *
other_key (const char *key)
{
  return g_str_equal (key, LIVE) ? TEST : LIVE;
}

/* @object has exactly the members @names, no more. */
static void
assert_members (JsonObject         *object,
                const char * const *names)
{
  guint n = 0;

  for (; names[n] != NULL; n++)
    if (!json_object_has_member (object, names[n]))
      g_error ("member \"%s\" is missing", names[n]);
  g_assert_cmpuint (json_object_get_size (object), ==, n);
}

/* {"success": true, "data": …}: returns data. */
static JsonNode *
success_data (PdTestResponse *resp)
{
  JsonObject *obj;

  if (resp->status != 200)
    g_error ("expected 200, got %u: %.300s", resp->status, pd_test_response_text (resp));
  obj = pd_test_response_object (resp);
  assert_members (obj, (const char *[]) { "success", "data", NULL });
  g_assert_true (json_object_get_boolean_member (obj, "success"));
  return json_object_get_member (obj, "data");
}

static JsonObject *
success_object (PdTestResponse *resp)
{
  JsonNode *data = success_data (resp);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  return json_node_get_object (data);
}

static JsonObject *
ok_object (PdTestResponse *resp)
{
  if (resp->status != 200)
    g_error ("expected 200, got %u: %.300s", resp->status, pd_test_response_text (resp));
  return pd_test_response_object (resp);
}

/* The spec's error body, {"error": {"message", "code"}}, with @status. */
static void
assert_error (PdTestResponse *resp,
              guint           status,
              const char     *code)
{
  JsonObject *obj;
  JsonObject *error;

  if (resp->status != status)
    g_error ("expected %u %s, got %u: %.300s", status, code, resp->status, pd_test_response_text (resp));
  obj = pd_test_response_object (resp);
  assert_members (obj, (const char *[]) { "error", NULL });
  error = json_object_get_object_member (obj, "error");
  g_assert_nonnull (error);
  assert_members (error, (const char *[]) { "message", "code", NULL });
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
}

/* The same, and the message names @field. */
static void
assert_field_error (PdTestResponse *resp,
                    const char     *field)
{
  const char *message;

  assert_error (resp, 400, "MISSING_FIELDS");
  message = json_object_get_string_member (json_object_get_object_member (pd_test_response_object (resp), "error"),
                                           "message");
  if (strstr (message, field) == NULL)
    g_error ("the message \"%s\" does not name %s", message, field);
}

static gint64
minor_of (JsonNode *node)
{
  gint64 minor = 0;

  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) * 100;
  g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE);
  g_assert_cmpint (pd_decimal_from_double (json_node_get_double (node), 2, &minor), ==, PD_DECIMAL_OK);
  return minor;
}

static gint64
balance_of (const char *key)
{
  g_autoptr(PdTestResponse) resp = pays (key, "GET", "/wallet/balance", NULL);
  JsonObject *obj = ok_object (resp);
  const char *text = json_object_get_string_member (obj, "balance");
  gint64 minor = 0;

  g_assert_nonnull (text);
  g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9]{2}$", text, 0, 0));
  g_assert_cmpint (pd_decimal_parse (text, '.', 2, &minor), ==, PD_DECIMAL_OK);
  return minor;
}

static void
assert_iso_time (JsonObject *obj,
                 const char *member)
{
  const char *text = json_object_get_string_member (obj, member);
  g_autoptr(GDateTime) dt = NULL;

  g_assert_nonnull (text);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", text, 0, 0));
  dt = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (dt);
}

static gint64
unix_time_of (JsonObject *obj,
              const char *member)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, member), NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

typedef struct
{
  char *link_id;
  char *transaction_id;
  char *checkout_url;
} Payment;

static void
payment_clear (Payment *p)
{
  g_clear_pointer (&p->link_id, g_free);
  g_clear_pointer (&p->transaction_id, g_free);
  g_clear_pointer (&p->checkout_url, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Payment, payment_clear)

/* Creates a payment link; @extra is more JSON members, or NULL. */
static void
create_payment (PdTestSandbox *sandbox,
                const char    *key,
                const char    *amount,
                const char    *extra,
                Payment       *out)
{
  g_autofree char *body = g_strdup_printf ("{\"amount\": %s, \"currency\": \"MZN\"%s%s}",
                                           amount, extra ? ", " : "", extra ? extra : "");
  g_autoptr(PdTestResponse) resp = pd_test_paysgator (sandbox, key, "POST", "/payment/create", body);
  JsonObject *data = success_object (resp);
  g_autofree char *expected_url = NULL;

  assert_members (data, (const char *[]) { "paymentlinkId", "checkoutUrl", "transactionId", NULL });
  out->link_id = g_strdup (json_object_get_string_member (data, "paymentlinkId"));
  out->transaction_id = g_strdup (json_object_get_string_member (data, "transactionId"));
  out->checkout_url = g_strdup (json_object_get_string_member (data, "checkoutUrl"));
  g_assert_true (g_uuid_string_is_valid (out->link_id));
  g_assert_true (g_uuid_string_is_valid (out->transaction_id));
  expected_url = g_strconcat (pd_test_sandbox_origin (sandbox), "/paysgator/checkout/", out->link_id, NULL);
  g_assert_cmpstr (out->checkout_url, ==, expected_url);
}

static PdTestResponse *
confirm (const char *key,
         const char *link_id,
         const char *method,
         const char *phone)
{
  g_autofree char *body = NULL;

  if (phone != NULL)
    body = g_strdup_printf ("{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"%s\", "
                            "\"payment_fields\": {\"phoneNumber\": \"%s\"}}", link_id, method, phone);
  else
    body = g_strdup_printf ("{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"%s\"}", link_id, method);
  return pays (key, "POST", "/payment/confirm", body);
}

static PdTestResponse *
get_transaction (PdTestSandbox *sandbox,
                 const char    *key,
                 const char    *id)
{
  g_autofree char *path = g_strconcat ("/transactions/", id, NULL);

  return pd_test_paysgator (sandbox, key, "GET", path, NULL);
}

static char *
transaction_status (PdTestSandbox *sandbox,
                    const char    *key,
                    const char    *id)
{
  g_autoptr(PdTestResponse) resp = get_transaction (sandbox, key, id);

  return g_strdup (json_object_get_string_member (ok_object (resp), "status"));
}

static PdTestResponse *
post_form (PdTestSandbox *sandbox,
           const char    *url,
           const char    *form)
{
  return pd_test_http (sandbox, "POST", url, "application/x-www-form-urlencoded", form, NULL);
}

/* Posts a form without following a redirect; returns the status, and the
 * Location in @location_out. */
static guint
post_form_no_redirect (const char  *url,
                       const char  *form,
                       char       **location_out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *location_out = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  return soup_message_get_status (msg);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("\"%s\" not found in: %.2000s", needle, haystack);
}

/* Authentication and routing */

static void
test_auth (void)
{
  const char *paths[][2] = {
    { "GET", "/wallet/balance" },
    { "POST", "/payment/create" },
    { "POST", "/payment/confirm" },
    { "GET", "/transactions/9f1c6a2e-0000-4000-8000-000000000000" },
    { "POST", "/subscription/create" },
    { "GET", "/subscription/9f1c6a2e-0000-4000-8000-000000000000" },
    { "GET", "/subscriptions" },
    { "PATCH", "/subscriptions/9f1c6a2e-0000-4000-8000-000000000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (pd_test_sandbox_paysgator_url (sb), paths[i][1], NULL);
      const char *bad_key[] = { "X-Api-Key", "live_not_a_real_key", NULL };
      g_autoptr(PdTestResponse) missing = pd_test_http (sb, paths[i][0], url, NULL,
                                                        g_str_equal (paths[i][0], "GET") ? NULL : "{}", NULL);
      g_autoptr(PdTestResponse) wrong = pd_test_http (sb, paths[i][0], url, NULL,
                                                      g_str_equal (paths[i][0], "GET") ? NULL : "{}", bad_key);

      assert_error (missing, 401, "UNAUTHORIZED");
      assert_error (wrong, 401, "UNAUTHORIZED");
      g_assert_null (strstr (pd_test_response_text (wrong), "live_not_a_real_key"));
    }
}

static void
test_routing (void)
{
  g_autoptr(PdTestResponse) unknown = pays (LIVE, "GET", "/payments", NULL);
  g_autoptr(PdTestResponse) unknown_deep = pays (LIVE, "GET", "/wallet/balance/extra", NULL);
  g_autoptr(PdTestResponse) outside = pd_test_http (sb, "GET", "/paysgator/nothing-here", NULL, NULL, NULL);
  g_autoptr(PdTestResponse) create_get = pays (LIVE, "GET", "/payment/create", NULL);
  g_autoptr(PdTestResponse) balance_post = pays (LIVE, "POST", "/wallet/balance", "{}");
  g_autoptr(PdTestResponse) sub_delete = pays (LIVE, "DELETE", "/subscriptions/abc", NULL);
  g_autoptr(PdTestResponse) sub_create_get = pays (LIVE, "GET", "/subscription/create", NULL);
  g_autoptr(PdTestResponse) page_put = pd_test_http (sb, "PUT", "/paysgator/checkout/abc", NULL, "{}", NULL);

  assert_error (unknown, 404, "NOT_FOUND");
  assert_error (unknown_deep, 404, "NOT_FOUND");
  assert_error (outside, 404, "NOT_FOUND");

  g_assert_cmpuint (create_get->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (create_get->headers, "Allow"), ==, "POST");
  g_assert_nonnull (pd_test_response_object (create_get));
  g_assert_cmpuint (balance_post->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (balance_post->headers, "Allow"), ==, "GET");
  g_assert_cmpuint (sub_delete->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (sub_delete->headers, "Allow"), ==, "PATCH");
  g_assert_cmpuint (sub_create_get->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (sub_create_get->headers, "Allow"), ==, "POST");
  g_assert_cmpuint (page_put->status, ==, 405);
}

/* Wallet */

static void
test_wallet_balance (void)
{
  g_autofree char *live_wallet = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      g_autoptr(PdTestResponse) resp = pays (both_keys[k], "GET", "/wallet/balance", NULL);
      g_autoptr(PdTestResponse) same = pays (both_keys[k], "GET", "/wallet/balance?currency=MZN", NULL);
      g_autoptr(PdTestResponse) usd = pays (both_keys[k], "GET", "/wallet/balance?currency=USD", NULL);
      g_autoptr(PdTestResponse) bogus = pays (both_keys[k], "GET", "/wallet/balance?currency=DOLLARS", NULL);
      JsonObject *obj = ok_object (resp);

      assert_members (obj, (const char *[]) { "walletId", "currency", "balance", "mode", NULL });
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "walletId")));
      g_assert_cmpstr (json_object_get_string_member (obj, "currency"), ==, "MZN");
      g_assert_cmpstr (json_object_get_string_member (obj, "mode"), ==, mode_of (both_keys[k]));
      g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9]{2}$", json_object_get_string_member (obj, "balance"), 0, 0));

      if (k == 0)
        live_wallet = g_strdup (json_object_get_string_member (obj, "walletId"));
      else
        g_assert_cmpstr (json_object_get_string_member (obj, "walletId"), !=, live_wallet);

      assert_members (ok_object (same), (const char *[]) { "walletId", "currency", "balance", "mode", NULL });
      assert_error (usd, 404, "WALLET_NOT_FOUND");
      assert_field_error (bogus, "currency");
    }
}

/* Payments */

static void
test_payment_create (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) full = { 0 };
      g_auto(Payment) minimal = { 0 };
      g_autoptr(PdTestResponse) txn = NULL;
      JsonObject *obj;
      gint64 created_at;

      create_payment (sb, key, "100.00",
                      "\"payment_methods\": [\"MPESA\", \"CARD\"], \"returnUrl\": \"https://shop.example.com/done\", "
                      "\"fields\": [\"name\", \"email\", \"phone\", \"address\"], "
                      "\"externalTransactionId\": \"ORDER-1\", \"metadata\": {\"cart\": [1, 2]}", &full);
      create_payment (sb, key, "50", NULL, &minimal);
      g_assert_cmpstr (full.link_id, !=, minimal.link_id);
      g_assert_cmpstr (full.transaction_id, !=, minimal.transaction_id);

      txn = get_transaction (sb, key, full.transaction_id);
      obj = ok_object (txn);
      assert_members (obj, (const char *[]) { "id", "amount", "currency", "status", "method", "createdAt", "mode", NULL });
      g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, full.transaction_id);
      g_assert_cmpint (minor_of (json_object_get_member (obj, "amount")), ==, 10000);
      g_assert_cmpstr (json_object_get_string_member (obj, "currency"), ==, "MZN");
      g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "PENDING");
      g_assert_true (json_object_get_null_member (obj, "method"));
      g_assert_cmpstr (json_object_get_string_member (obj, "mode"), ==, mode_of (key));
      assert_iso_time (obj, "createdAt");
      created_at = unix_time_of (obj, "createdAt");
      g_assert_cmpint (ABS (created_at - g_get_real_time () / G_USEC_PER_SEC), <, 60);
    }
}

static void
test_payment_create_invalid (void)
{
  const struct
  {
    const char *body;
    const char *field;
  } cases[] = {
    { "{}", "amount" },
    { "{\"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 100}", "currency" },
    { "{\"amount\": \"100.00\", \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": true, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 0, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 0.0, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": -5, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": -0.01, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 10.005, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 1e300, \"currency\": \"MZN\"}", "amount" },
    { "{\"amount\": 100, \"currency\": \"ZZZ\"}", "currency" },
    { "{\"amount\": 100, \"currency\": \"mzn\"}", "currency" },
    { "{\"amount\": 100, \"currency\": 943}", "currency" },
    { "{\"amount\": 100.5, \"currency\": \"JPY\"}", "amount" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"payment_methods\": [\"PAYPAL\"]}", "payment_methods" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"payment_methods\": [\"mpesa\"]}", "payment_methods" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"payment_methods\": \"MPESA\"}", "payment_methods" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"payment_methods\": []}", "payment_methods" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"payment_methods\": [1]}", "payment_methods" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"returnUrl\": \"not a url\"}", "returnUrl" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"returnUrl\": \"ftp://shop.example.com/\"}", "returnUrl" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"returnUrl\": 7}", "returnUrl" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"fields\": [\"age\"]}", "fields" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"fields\": {\"name\": true}}", "fields" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"externalTransactionId\": 5}", "externalTransactionId" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"metadata\": [1]}", "metadata" },
    { "{\"amount\": 100, \"currency\": \"MZN\", \"metadata\": \"x\"}", "metadata" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
      {
        g_autoptr(PdTestResponse) resp = pays (both_keys[k], "POST", "/payment/create", cases[i].body);

        g_test_message ("%s", cases[i].body);
        assert_field_error (resp, cases[i].field);
      }
}

static void
test_currency_mismatch (void)
{
  const char *bodies[] = {
    "{\"amount\": 100.00, \"currency\": \"USD\"}",
    "{\"amount\": 100, \"currency\": \"JPY\"}",
    "{\"amount\": 1.234, \"currency\": \"KWD\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
      {
        g_autoptr(PdTestResponse) resp = pays (both_keys[k], "POST", "/payment/create", bodies[i]);

        assert_error (resp, 400, "CURRENCY_MISMATCH");
      }
}

static void
test_confirm_card_fee (void)
{
  /* amount, fee, net: 2.5% rounded half up to the cent. */
  const struct
  {
    const char *amount;
    gint64      fee;
    gint64      net;
    const char *fee_text;
    const char *net_text;
  } cases[] = {
    { "100.00", 250, 9750, "2.5", "97.5" },
    { "100.20", 251, 9769, "2.51", "97.69" },
    { "100.10", 250, 9760, "2.5", "97.6" },
    { "39.80", 100, 3880, "1", "38.8" },
    { "0.20", 1, 19, "0.01", "0.19" },
    { "0.01", 0, 1, "0", "0.01" },
    { "1234.56", 3086, 120370, "30.86", "1203.7" },
    { "12345", 30863, 1203637, "308.63", "12036.37" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *key = both_keys[k];
        g_auto(Payment) p = { 0 };
        g_autoptr(PdTestResponse) resp = NULL;
        g_autoptr(PdTestResponse) txn = NULL;
        g_autofree char *fee_member = g_strdup_printf ("\"fee\":%s", cases[i].fee_text);
        g_autofree char *net_member = g_strdup_printf ("\"netAmount\":%s", cases[i].net_text);
        gint64 own_before = balance_of (key);
        gint64 other_before = balance_of (other_key (key));
        JsonObject *data;
        JsonObject *obj;

        create_payment (sb, key, cases[i].amount, NULL, &p);
        resp = confirm (key, p.link_id, "CARD", NULL);
        data = success_object (resp);
        assert_members (data, (const char *[]) { "transactionId", "fee", "netAmount", NULL });
        g_assert_cmpstr (json_object_get_string_member (data, "transactionId"), ==, p.transaction_id);
        g_assert_cmpint (minor_of (json_object_get_member (data, "fee")), ==, cases[i].fee);
        g_assert_cmpint (minor_of (json_object_get_member (data, "netAmount")), ==, cases[i].net);
        /* Written as exact decimals, never 97.499999999. */
        assert_contains (pd_test_response_text (resp), fee_member);
        assert_contains (pd_test_response_text (resp), net_member);

        g_assert_cmpint (balance_of (key), ==, own_before + cases[i].net);
        g_assert_cmpint (balance_of (other_key (key)), ==, other_before);

        txn = get_transaction (sb, key, p.transaction_id);
        obj = ok_object (txn);
        g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "SUCCESS");
        g_assert_cmpstr (json_object_get_string_member (obj, "method"), ==, "CARD");
      }
}

static void
test_confirm_mpesa (void)
{
  const char *good_phones[] = {
    "841234567", "851234567", "861234567", "871234567", "821234567", "831234567",
    "+258841234567", "258871234567", "+258 84 123 4567", "84-123-4567",
  };

  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    for (guint i = 0; i < G_N_ELEMENTS (good_phones); i++)
      {
        const char *key = both_keys[k];
        g_auto(Payment) p = { 0 };
        g_autoptr(PdTestResponse) resp = NULL;
        g_autoptr(PdTestResponse) txn = NULL;
        gint64 before = balance_of (key);
        JsonObject *obj;

        create_payment (sb, key, "200.00", "\"payment_methods\": [\"MPESA\"]", &p);
        resp = confirm (key, p.link_id, "MPESA", good_phones[i]);
        g_test_message ("%s", good_phones[i]);
        success_object (resp);
        g_assert_cmpint (balance_of (key), ==, before + 19500);

        txn = get_transaction (sb, key, p.transaction_id);
        obj = ok_object (txn);
        g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "SUCCESS");
        g_assert_cmpstr (json_object_get_string_member (obj, "method"), ==, "MPESA");
      }
}

static void
test_confirm_mpesa_declined (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) p = { 0 };
      g_autoptr(PdTestResponse) resp = NULL;
      g_autoptr(PdTestResponse) again = NULL;
      g_autoptr(PdTestResponse) card = NULL;
      g_autoptr(PdTestResponse) txn = NULL;
      gint64 before = balance_of (key);
      JsonObject *obj;

      create_payment (sb, key, "300.00", NULL, &p);
      resp = confirm (key, p.link_id, "MPESA", "+258 84 123 0000");
      assert_error (resp, 402, "PAYMENT_FAILED");
      g_assert_cmpint (balance_of (key), ==, before);

      txn = get_transaction (sb, key, p.transaction_id);
      obj = ok_object (txn);
      g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "FAILED");
      g_assert_cmpstr (json_object_get_string_member (obj, "method"), ==, "MPESA");

      /* A failed transaction is final. */
      again = confirm (key, p.link_id, "MPESA", "841234567");
      assert_error (again, 400, "INVALID_ACTION");
      card = confirm (key, p.link_id, "CARD", NULL);
      assert_error (card, 400, "INVALID_ACTION");
      g_assert_cmpint (balance_of (key), ==, before);
    }
}

static void
test_confirm_bad_phone (void)
{
  const char *bodies[] = {
    "\"payment_fields\": {\"phoneNumber\": \"12345\"}",
    "\"payment_fields\": {\"phoneNumber\": \"811234567\"}",
    "\"payment_fields\": {\"phoneNumber\": \"881234567\"}",
    "\"payment_fields\": {\"phoneNumber\": \"8412345678\"}",
    "\"payment_fields\": {\"phoneNumber\": \"84123456\"}",
    "\"payment_fields\": {\"phoneNumber\": \"+25584123456\"}",
    "\"payment_fields\": {\"phoneNumber\": \"+841234567\"}",
    "\"payment_fields\": {\"phoneNumber\": \"+351841234567\"}",
    "\"payment_fields\": {\"phoneNumber\": \"84123456a\"}",
    "\"payment_fields\": {\"phoneNumber\": \"\"}",
    "\"payment_fields\": {\"phoneNumber\": 841234567}",
    "\"payment_fields\": {}",
    "\"payment_fields\": \"841234567\"",
    "\"payment_fields\": null",
  };

  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) p = { 0 };
      g_autofree char *status = NULL;
      gint64 before = balance_of (key);

      create_payment (sb, key, "10.00", NULL, &p);
      for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
        {
          g_autofree char *body = g_strdup_printf ("{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"MPESA\", %s}",
                                                   p.link_id, bodies[i]);
          g_autoptr(PdTestResponse) resp = pays (key, "POST", "/payment/confirm", body);

          g_test_message ("%s", bodies[i]);
          assert_field_error (resp, "payment_fields");
        }
      {
        g_autoptr(PdTestResponse) none = confirm (key, p.link_id, "MPESA", NULL);

        assert_field_error (none, "phoneNumber");
      }

      status = transaction_status (sb, key, p.transaction_id);
      g_assert_cmpstr (status, ==, "PENDING");
      g_assert_cmpint (balance_of (key), ==, before);
    }
}

static void
test_confirm_errors (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) p = { 0 };
      g_auto(Payment) mpesa_only = { 0 };
      g_autofree char *body = NULL;
      g_autofree char *status = NULL;

      create_payment (sb, key, "75.50", NULL, &p);
      create_payment (sb, key, "75.50", "\"payment_methods\": [\"MPESA\"]", &mpesa_only);

      {
        g_autoptr(PdTestResponse) empty = pays (key, "POST", "/payment/confirm", "{}");
        g_autoptr(PdTestResponse) no_method = NULL;
        g_autoptr(PdTestResponse) bad_method = confirm (key, p.link_id, "PAYPAL", NULL);
        g_autoptr(PdTestResponse) lower = confirm (key, p.link_id, "card", NULL);
        g_autoptr(PdTestResponse) link_number = pays (key, "POST", "/payment/confirm",
                                                      "{\"paymentLinkId\": 12, \"paymentMethod\": \"CARD\"}");
        g_autoptr(PdTestResponse) unknown = confirm (key, "3b4c1d2e-1111-4222-8333-944455556666", "CARD", NULL);
        g_autoptr(PdTestResponse) not_allowed = confirm (key, mpesa_only.link_id, "CARD", NULL);

        body = g_strdup_printf ("{\"paymentLinkId\": \"%s\"}", p.link_id);
        no_method = pays (key, "POST", "/payment/confirm", body);

        assert_field_error (empty, "paymentLinkId");
        assert_field_error (no_method, "paymentMethod");
        assert_field_error (bad_method, "paymentMethod");
        assert_field_error (lower, "paymentMethod");
        assert_field_error (link_number, "paymentLinkId");
        assert_error (unknown, 404, "NOT_FOUND");
        assert_field_error (not_allowed, "paymentMethod");
      }

      {
        g_autofree char *bad_customer = g_strdup_printf (
          "{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"CARD\", \"customer\": {\"email\": \"nobody\"}}", p.link_id);
        g_autofree char *customer_array = g_strdup_printf (
          "{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"CARD\", \"customer\": [1]}", p.link_id);
        g_autofree char *customer_name = g_strdup_printf (
          "{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"CARD\", \"customer\": {\"name\": 3}}", p.link_id);
        g_autoptr(PdTestResponse) r1 = pays (key, "POST", "/payment/confirm", bad_customer);
        g_autoptr(PdTestResponse) r2 = pays (key, "POST", "/payment/confirm", customer_array);
        g_autoptr(PdTestResponse) r3 = pays (key, "POST", "/payment/confirm", customer_name);

        assert_field_error (r1, "customer.email");
        assert_field_error (r2, "customer");
        assert_field_error (r3, "customer.name");
      }

      status = transaction_status (sb, key, p.transaction_id);
      g_assert_cmpstr (status, ==, "PENDING");

      {
        g_autofree char *with_customer = g_strdup_printf (
          "{\"paymentLinkId\": \"%s\", \"paymentMethod\": \"CARD\", \"customer\": {\"name\": \"Ana Machava\", "
          "\"email\": \"ana@example.co.mz\", \"phone\": \"841234567\", \"address\": \"Av. Julius Nyerere 1\", "
          "\"country\": \"MZ\"}}", p.link_id);
        g_autoptr(PdTestResponse) first = pays (key, "POST", "/payment/confirm", with_customer);
        g_autoptr(PdTestResponse) second = NULL;
        gint64 before;

        success_object (first);
        before = balance_of (key);
        second = confirm (key, p.link_id, "CARD", NULL);
        assert_error (second, 400, "INVALID_ACTION");
        g_assert_cmpint (balance_of (key), ==, before);
      }
    }
}

static void
test_transaction_get (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      g_autoptr(PdTestResponse) unknown = get_transaction (sb, both_keys[k], "3b4c1d2e-1111-4222-8333-944455556666");
      g_autoptr(PdTestResponse) garbage = get_transaction (sb, both_keys[k], "not-a-uuid%20at%20all");

      assert_error (unknown, 404, "NOT_FOUND");
      assert_error (garbage, 404, "NOT_FOUND");
    }
}

/* LIVE and TEST never touch each other's objects. */
static void
test_modes_separate (void)
{
  g_auto(Payment) live = { 0 };
  g_auto(Payment) test = { 0 };
  g_autofree char *status = NULL;
  gint64 live_before;
  gint64 test_before;

  create_payment (sb, LIVE, "500.00", NULL, &live);
  create_payment (sb, TEST, "500.00", NULL, &test);

  {
    g_autoptr(PdTestResponse) read_live = get_transaction (sb, TEST, live.transaction_id);
    g_autoptr(PdTestResponse) read_test = get_transaction (sb, LIVE, test.transaction_id);
    g_autoptr(PdTestResponse) pay_live = confirm (TEST, live.link_id, "CARD", NULL);
    g_autoptr(PdTestResponse) pay_test = confirm (LIVE, test.link_id, "MPESA", "841234567");

    assert_error (read_live, 403, "MODE_MISMATCH");
    assert_error (read_test, 403, "MODE_MISMATCH");
    assert_error (pay_live, 403, "MODE_MISMATCH");
    assert_error (pay_test, 403, "MODE_MISMATCH");
  }

  status = transaction_status (sb, LIVE, live.transaction_id);
  g_assert_cmpstr (status, ==, "PENDING");

  live_before = balance_of (LIVE);
  test_before = balance_of (TEST);
  {
    g_autoptr(PdTestResponse) pay = confirm (LIVE, live.link_id, "CARD", NULL);

    success_object (pay);
  }
  g_assert_cmpint (balance_of (LIVE), ==, live_before + 48750);
  g_assert_cmpint (balance_of (TEST), ==, test_before);
  {
    g_autoptr(PdTestResponse) pay = confirm (TEST, test.link_id, "CARD", NULL);

    success_object (pay);
  }
  g_assert_cmpint (balance_of (LIVE), ==, live_before + 48750);
  g_assert_cmpint (balance_of (TEST), ==, test_before + 48750);
}

/* The checkout page */

static void
test_checkout_page_redirect (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) p = { 0 };
      g_autoptr(PdTestResponse) page = NULL;
      g_autoptr(PdTestResponse) paid_page = NULL;
      g_autoptr(PdTestResponse) repost = NULL;
      g_autofree char *action = NULL;
      g_autofree char *location = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *status = NULL;
      g_autofree char *form = soup_form_encode ("name", "Ana Machava", "email", "ana@example.co.mz",
                                                "phoneNumber", "84 123 4567", "paymentMethod", "MPESA", NULL);
      gint64 before = balance_of (key);

      create_payment (sb, key, "250.00",
                      "\"returnUrl\": \"https://shop.example.com/back?order=7#done\", \"fields\": [\"name\", \"email\"], "
                      "\"externalTransactionId\": \"<b>ORDER-7</b>\"", &p);

      page = pd_test_http (sb, "GET", p.checkout_url, NULL, NULL, NULL);
      g_assert_cmpuint (page->status, ==, 200);
      g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (page->headers, NULL), "text/html"));
      action = g_strdup_printf ("action=\"/paysgator/checkout/%s\"", p.link_id);
      assert_contains (pd_test_response_text (page), action);
      assert_contains (pd_test_response_text (page), "250.00 MZN");
      assert_contains (pd_test_response_text (page), "name=\"phoneNumber\"");
      assert_contains (pd_test_response_text (page), "name=\"paymentMethod\" value=\"MPESA\"");
      assert_contains (pd_test_response_text (page), "name=\"paymentMethod\" value=\"CARD\"");
      assert_contains (pd_test_response_text (page), "name=\"name\"");
      assert_contains (pd_test_response_text (page), "name=\"email\"");
      assert_contains (pd_test_response_text (page), "&lt;b&gt;ORDER-7&lt;/b&gt;");
      g_assert_null (strstr (pd_test_response_text (page), "<b>ORDER-7"));
      g_assert_null (strstr (pd_test_response_text (page), "name=\"address\""));

      g_assert_cmpuint (post_form_no_redirect (p.checkout_url, form, &location), ==, 303);
      expected = g_strdup_printf ("https://shop.example.com/back?order=7&transactionId=%s#done", p.transaction_id);
      g_assert_cmpstr (location, ==, expected);

      status = transaction_status (sb, key, p.transaction_id);
      g_assert_cmpstr (status, ==, "SUCCESS");
      g_assert_cmpint (balance_of (key), ==, before + 24375);

      paid_page = pd_test_http (sb, "GET", p.checkout_url, NULL, NULL, NULL);
      g_assert_cmpuint (paid_page->status, ==, 200);
      assert_contains (pd_test_response_text (paid_page), "Payment successful");
      g_assert_null (strstr (pd_test_response_text (paid_page), "<form"));

      repost = post_form (sb, p.checkout_url, form);
      g_assert_cmpuint (repost->status, ==, 400);
      g_assert_cmpint (balance_of (key), ==, before + 24375);
    }
}

static void
test_checkout_page_results (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_auto(Payment) card = { 0 };
      g_auto(Payment) declined = { 0 };
      g_auto(Payment) invalid = { 0 };
      g_auto(Payment) card_only = { 0 };
      g_autofree char *status = NULL;
      gint64 before = balance_of (key);

      create_payment (sb, key, "19.99", NULL, &card);
      create_payment (sb, key, "19.99", NULL, &declined);
      create_payment (sb, key, "19.99", "\"fields\": [\"address\"]", &invalid);
      create_payment (sb, key, "19.99", "\"payment_methods\": [\"CARD\"]", &card_only);

      {
        g_autoptr(PdTestResponse) resp = post_form (sb, card.checkout_url, "paymentMethod=CARD");

        g_assert_cmpuint (resp->status, ==, 200);
        assert_contains (pd_test_response_text (resp), "Payment successful");
        assert_contains (pd_test_response_text (resp), card.transaction_id);
      }
      g_assert_cmpint (balance_of (key), ==, before + 1949);

      {
        g_autoptr(PdTestResponse) resp = post_form (sb, declined.checkout_url,
                                                    "paymentMethod=MPESA&phoneNumber=%2B258870000000");

        g_assert_cmpuint (resp->status, ==, 402);
        assert_contains (pd_test_response_text (resp), "Payment failed");
      }
      status = transaction_status (sb, key, declined.transaction_id);
      g_assert_cmpstr (status, ==, "FAILED");
      g_clear_pointer (&status, g_free);

      {
        g_autoptr(PdTestResponse) bad_phone = post_form (sb, invalid.checkout_url,
                                                         "paymentMethod=MPESA&phoneNumber=12345&address=Rua+1");
        g_autoptr(PdTestResponse) no_method = post_form (sb, invalid.checkout_url, "address=Rua+1");
        g_autoptr(PdTestResponse) no_address = post_form (sb, invalid.checkout_url, "paymentMethod=CARD");
        g_autoptr(PdTestResponse) garbage = post_form (sb, invalid.checkout_url, "%%%&&&==");

        g_assert_cmpuint (bad_phone->status, ==, 400);
        assert_contains (pd_test_response_text (bad_phone), "Mozambican");
        /* The form comes back with what was typed. */
        assert_contains (pd_test_response_text (bad_phone), "value=\"12345\"");
        assert_contains (pd_test_response_text (bad_phone), "<form");
        g_assert_cmpuint (no_method->status, ==, 400);
        g_assert_cmpuint (no_address->status, ==, 400);
        assert_contains (pd_test_response_text (no_address), "address");
        g_assert_cmpuint (garbage->status, ==, 400);
      }
      status = transaction_status (sb, key, invalid.transaction_id);
      g_assert_cmpstr (status, ==, "PENDING");
      g_clear_pointer (&status, g_free);

      {
        g_autoptr(PdTestResponse) page = pd_test_http (sb, "GET", card_only.checkout_url, NULL, NULL, NULL);
        g_autoptr(PdTestResponse) mpesa = post_form (sb, card_only.checkout_url,
                                                     "paymentMethod=MPESA&phoneNumber=841234567");

        g_assert_null (strstr (pd_test_response_text (page), "value=\"MPESA\""));
        g_assert_cmpuint (mpesa->status, ==, 400);
      }
      status = transaction_status (sb, key, card_only.transaction_id);
      g_assert_cmpstr (status, ==, "PENDING");
      g_assert_cmpint (balance_of (key), ==, before + 1949);
    }

  {
    g_autoptr(PdTestResponse) missing = pd_test_http (sb, "GET", "/paysgator/checkout/3b4c1d2e-1111-4222-8333-944455556666",
                                                      NULL, NULL, NULL);

    g_assert_cmpuint (missing->status, ==, 404);
  }
}

/* Subscriptions */

static const char *
plan (guint i)
{
  GStrv plans = pd_test_sandbox_plan_ids (sb);

  g_assert_cmpuint (g_strv_length (plans), >, i);
  return plans[i];
}

static char *
create_subscription (PdTestSandbox *sandbox,
                     const char    *key,
                     const char    *plan_id,
                     const char    *email,
                     char         **checkout_out)
{
  g_autofree char *body = g_strdup_printf ("{\"planId\": \"%s\", \"customerEmail\": \"%s\", "
                                           "\"customerName\": \"Ana Machava\", \"metadata\": {\"crm\": 42}}",
                                           plan_id, email);
  g_autoptr(PdTestResponse) resp = pd_test_paysgator (sandbox, key, "POST", "/subscription/create", body);
  JsonObject *data = success_object (resp);
  const char *id;
  g_autofree char *expected = NULL;

  assert_members (data, (const char *[]) { "subscriptionId", "checkoutUrl", "status", NULL });
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "PAUSED");
  id = json_object_get_string_member (data, "subscriptionId");
  g_assert_true (g_uuid_string_is_valid (id));
  expected = g_strdup_printf ("%s/paysgator/subscription/%s/checkout", pd_test_sandbox_origin (sandbox), id);
  g_assert_cmpstr (json_object_get_string_member (data, "checkoutUrl"), ==, expected);
  if (checkout_out != NULL)
    *checkout_out = g_strdup (expected);
  return g_strdup (id);
}

/* GET /subscription/{id}: data, checked for the spec's members. */
static JsonObject *
get_subscription (PdTestSandbox   *sandbox,
                  const char      *key,
                  const char      *id,
                  PdTestResponse **resp_out)
{
  g_autofree char *path = g_strconcat ("/subscription/", id, NULL);
  JsonObject *data;

  *resp_out = pd_test_paysgator (sandbox, key, "GET", path, NULL);
  data = success_object (*resp_out);
  assert_members (data, (const char *[]) { "id", "planId", "customerEmail", "status",
                                           "currentPeriodStart", "currentPeriodEnd", "createdAt", NULL });
  g_assert_cmpstr (json_object_get_string_member (data, "id"), ==, id);
  assert_iso_time (data, "createdAt");
  return data;
}

static PdTestResponse *
update_subscription (PdTestSandbox *sandbox,
                     const char    *key,
                     const char    *id,
                     const char    *action)
{
  g_autofree char *path = g_strconcat ("/subscriptions/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"action\": \"%s\"}", action);

  return pd_test_paysgator (sandbox, key, "PATCH", path, body);
}

/* A successful PATCH: {"id", "status", "currentPeriodEnd"}. */
static void
assert_updated (PdTestResponse *resp,
                const char     *id,
                const char     *status)
{
  JsonObject *obj = ok_object (resp);

  assert_members (obj, (const char *[]) { "id", "status", "currentPeriodEnd", NULL });
  g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, status);
}

static void
assert_invalid_action (PdTestSandbox *sandbox,
                       const char    *key,
                       const char    *id,
                       const char    *action)
{
  g_autoptr(PdTestResponse) resp = update_subscription (sandbox, key, id, action);

  g_test_message ("%s", action);
  assert_error (resp, 400, "INVALID_ACTION");
}

static void
test_subscription_lifecycle (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_autofree char *checkout = NULL;
      g_autofree char *id = create_subscription (sb, key, plan (0), "lifecycle@example.co.mz", &checkout);
      g_autofree char *action = g_strdup_printf ("action=\"/paysgator/subscription/%s/checkout\"", id);
      g_autoptr(PdTestResponse) get1 = NULL;
      g_autoptr(PdTestResponse) get2 = NULL;
      JsonObject *data;
      gint64 before = balance_of (key);
      gint64 start, end;

      data = get_subscription (sb, key, id, &get1);
      g_assert_cmpstr (json_object_get_string_member (data, "planId"), ==, plan (0));
      g_assert_cmpstr (json_object_get_string_member (data, "customerEmail"), ==, "lifecycle@example.co.mz");
      g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "PAUSED");
      g_assert_true (json_object_get_null_member (data, "currentPeriodStart"));
      g_assert_true (json_object_get_null_member (data, "currentPeriodEnd"));

      /* Never paid: neither resumed nor paused. */
      assert_invalid_action (sb, key, id, "resume");
      assert_invalid_action (sb, key, id, "pause");

      {
        g_autoptr(PdTestResponse) page = pd_test_http (sb, "GET", checkout, NULL, NULL, NULL);
        g_autoptr(PdTestResponse) declined = post_form (sb, checkout, "paymentMethod=MPESA&phoneNumber=840000000");
        g_autoptr(PdTestResponse) bad_phone = post_form (sb, checkout, "paymentMethod=MPESA&phoneNumber=1");
        g_autoptr(PdTestResponse) paid = NULL;

        g_assert_cmpuint (page->status, ==, 200);
        assert_contains (pd_test_response_text (page), action);
        assert_contains (pd_test_response_text (page), "name=\"phoneNumber\"");
        assert_contains (pd_test_response_text (page), "value=\"CARD\"");
        g_assert_cmpuint (declined->status, ==, 402);
        g_assert_cmpuint (bad_phone->status, ==, 400);
        g_assert_cmpint (balance_of (key), ==, before);

        paid = post_form (sb, checkout, "paymentMethod=MPESA&phoneNumber=%2B258841234567");
        g_assert_cmpuint (paid->status, ==, 200);
        assert_contains (pd_test_response_text (paid), "ACTIVE");
        g_assert_null (strstr (pd_test_response_text (paid), "<form"));
      }
      /* Basic monthly, 499.00 MZN: fee 12.48 (12.475 rounded up). */
      g_assert_cmpint (balance_of (key), ==, before + 49900 - 1248);

      data = get_subscription (sb, key, id, &get2);
      g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "ACTIVE");
      assert_iso_time (data, "currentPeriodStart");
      assert_iso_time (data, "currentPeriodEnd");
      start = unix_time_of (data, "currentPeriodStart");
      end = unix_time_of (data, "currentPeriodEnd");
      {
        g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
        g_autoptr(GDateTime) to = g_date_time_add_months (from, 1);

        g_assert_cmpint (end, ==, g_date_time_to_unix (to));
      }

      /* Paid: the page has nothing more to take. */
      {
        g_autoptr(PdTestResponse) again = post_form (sb, checkout, "paymentMethod=CARD");

        g_assert_cmpuint (again->status, ==, 400);
      }

      assert_invalid_action (sb, key, id, "resume");
      {
        g_autoptr(PdTestResponse) resp = update_subscription (sb, key, id, "pause");

        assert_updated (resp, id, "PAUSED");
        g_assert_cmpint (unix_time_of (ok_object (resp), "currentPeriodEnd"), ==, end);
      }
      assert_invalid_action (sb, key, id, "pause");
      {
        g_autoptr(PdTestResponse) resp = update_subscription (sb, key, id, "resume");

        assert_updated (resp, id, "ACTIVE");
      }
      {
        g_autoptr(PdTestResponse) resp = update_subscription (sb, key, id, "cancel");

        assert_updated (resp, id, "CANCELED");
        g_assert_cmpint (unix_time_of (ok_object (resp), "currentPeriodEnd"), ==, end);
      }
      assert_invalid_action (sb, key, id, "cancel");
      assert_invalid_action (sb, key, id, "resume");
      assert_invalid_action (sb, key, id, "pause");
      assert_invalid_action (sb, key, id, "delete");
      assert_invalid_action (sb, key, id, "CANCEL");

      {
        g_autoptr(PdTestResponse) page = post_form (sb, checkout, "paymentMethod=CARD");

        g_assert_cmpuint (page->status, ==, 400);
      }
    }
}

static void
test_subscription_cancel_unpaid (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      g_autofree char *id = create_subscription (sb, both_keys[k], plan (1), "unpaid@example.co.mz", NULL);
      g_autoptr(PdTestResponse) resp = update_subscription (sb, both_keys[k], id, "cancel");

      assert_updated (resp, id, "CANCELED");
      g_assert_true (json_object_get_null_member (ok_object (resp), "currentPeriodEnd"));
    }
}

static void
test_subscription_errors (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_autofree char *id = create_subscription (sb, key, plan (0), "errors@example.co.mz", NULL);
      g_autofree char *no_email = g_strdup_printf ("{\"planId\": \"%s\"}", plan (0));
      g_autofree char *bad_email = g_strdup_printf ("{\"planId\": \"%s\", \"customerEmail\": \"not-an-email\"}", plan (0));
      g_autofree char *two_ats = g_strdup_printf ("{\"planId\": \"%s\", \"customerEmail\": \"a@b@c.com\"}", plan (0));
      g_autofree char *bad_name = g_strdup_printf ("{\"planId\": \"%s\", \"customerEmail\": \"a@b.co\", \"customerName\": 5}",
                                                   plan (0));
      g_autofree char *bad_meta = g_strdup_printf ("{\"planId\": \"%s\", \"customerEmail\": \"a@b.co\", \"metadata\": \"x\"}",
                                                   plan (0));
      g_autofree char *patch_path = g_strconcat ("/subscriptions/", id, NULL);
      g_autoptr(PdTestResponse) r_no_plan = pays (key, "POST", "/subscription/create", "{\"customerEmail\": \"a@b.co\"}");
      g_autoptr(PdTestResponse) r_no_email = pays (key, "POST", "/subscription/create", no_email);
      g_autoptr(PdTestResponse) r_bad_email = pays (key, "POST", "/subscription/create", bad_email);
      g_autoptr(PdTestResponse) r_two_ats = pays (key, "POST", "/subscription/create", two_ats);
      g_autoptr(PdTestResponse) r_bad_name = pays (key, "POST", "/subscription/create", bad_name);
      g_autoptr(PdTestResponse) r_bad_meta = pays (key, "POST", "/subscription/create", bad_meta);
      g_autoptr(PdTestResponse) r_no_such_plan = pays (key, "POST", "/subscription/create",
                                                       "{\"planId\": \"3b4c1d2e-1111-4222-8333-944455556666\", "
                                                       "\"customerEmail\": \"a@b.co\"}");
      g_autoptr(PdTestResponse) r_get_unknown = pays (key, "GET", "/subscription/3b4c1d2e-1111-4222-8333-944455556666", NULL);
      g_autoptr(PdTestResponse) r_patch_unknown = update_subscription (sb, key, "3b4c1d2e-1111-4222-8333-944455556666", "cancel");
      g_autoptr(PdTestResponse) r_patch_empty = pays (key, "PATCH", patch_path, "{}");
      g_autoptr(PdTestResponse) r_patch_number = pays (key, "PATCH", patch_path, "{\"action\": 1}");
      g_autoptr(PdTestResponse) r_page_unknown = pd_test_http (sb, "GET",
                                                               "/paysgator/subscription/3b4c1d2e-1111-4222-8333-944455556666/checkout",
                                                               NULL, NULL, NULL);

      assert_field_error (r_no_plan, "planId");
      assert_field_error (r_no_email, "customerEmail");
      assert_field_error (r_bad_email, "customerEmail");
      assert_field_error (r_two_ats, "customerEmail");
      assert_field_error (r_bad_name, "customerName");
      assert_field_error (r_bad_meta, "metadata");
      assert_error (r_no_such_plan, 404, "NOT_FOUND");
      assert_error (r_get_unknown, 404, "NOT_FOUND");
      assert_error (r_patch_unknown, 404, "NOT_FOUND");
      assert_field_error (r_patch_empty, "action");
      assert_field_error (r_patch_number, "action");
      g_assert_cmpuint (r_page_unknown->status, ==, 404);
    }
}

static void
test_subscription_modes (void)
{
  g_autofree char *live_id = create_subscription (sb, LIVE, plan (1), "modes@example.co.mz", NULL);
  g_autofree char *path = g_strconcat ("/subscription/", live_id, NULL);
  g_autoptr(PdTestResponse) get = pays (TEST, "GET", path, NULL);
  g_autoptr(PdTestResponse) cancel = update_subscription (sb, TEST, live_id, "cancel");
  g_autoptr(PdTestResponse) list = pays (TEST, "GET", "/subscriptions?customerEmail=modes%40example.co.mz", NULL);
  g_autoptr(PdTestResponse) live_list = pays (LIVE, "GET", "/subscriptions?customerEmail=modes%40example.co.mz", NULL);
  g_autoptr(PdTestResponse) still = NULL;
  JsonNode *data;

  assert_error (get, 403, "MODE_MISMATCH");
  assert_error (cancel, 403, "MODE_MISMATCH");
  data = success_data (list);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (data)), ==, 0);
  data = success_data (live_list);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (data)), ==, 1);

  g_assert_cmpstr (json_object_get_string_member (get_subscription (sb, LIVE, live_id, &still), "status"), ==, "PAUSED");
}

/* GET /subscriptions with @query: the ids, in order. */
static GPtrArray *
list_subscriptions (PdTestSandbox *sandbox,
                    const char    *key,
                    const char    *query)
{
  g_autofree char *path = g_strconcat ("/subscriptions", query, NULL);
  g_autoptr(PdTestResponse) resp = pd_test_paysgator (sandbox, key, "GET", path, NULL);
  JsonNode *data = success_data (resp);
  JsonArray *array;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  gint64 previous = G_MAXINT64;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  array = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *sub = json_array_get_object_element (array, i);
      gint64 created;

      assert_members (sub, (const char *[]) { "id", "planId", "customerEmail", "status",
                                              "currentPeriodStart", "currentPeriodEnd", "createdAt", NULL });
      created = unix_time_of (sub, "createdAt");
      g_assert_cmpint (created, <=, previous);
      previous = created;
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (sub, "id")));
    }
  return ids;
}

static gboolean
ids_equal (GPtrArray          *ids,
           const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  if (ids->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_str_equal (g_ptr_array_index (ids, i), expected[i]))
      return FALSE;
  return TRUE;
}

static void
test_subscription_list (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      g_autofree char *email = g_strdup_printf ("list-%u@example.co.mz", k);
      g_autofree char *q_email = g_strdup_printf ("?customerEmail=list-%u%%40example.co.mz", k);
      g_autofree char *checkout = NULL;
      g_autofree char *a = create_subscription (sb, key, plan (0), email, &checkout);
      g_autofree char *b = create_subscription (sb, key, plan (1), email, NULL);
      g_autofree char *c = create_subscription (sb, key, plan (1), email, NULL);
      g_autofree char *other = create_subscription (sb, key, plan (1), "someone-else@example.co.mz", NULL);
      g_autoptr(PdTestResponse) paid = post_form (sb, checkout, "paymentMethod=CARD");
      g_autoptr(PdTestResponse) canceled = update_subscription (sb, key, c, "cancel");

      g_assert_cmpuint (paid->status, ==, 200);
      assert_updated (canceled, c, "CANCELED");

      {
        g_autoptr(GPtrArray) all = list_subscriptions (sb, key, "");
        g_autoptr(GPtrArray) by_email = list_subscriptions (sb, key, q_email);
        g_autofree char *q_upper = g_strdup_printf ("?customerEmail=LIST-%u%%40EXAMPLE.CO.MZ", k);
        g_autoptr(GPtrArray) by_email_case = list_subscriptions (sb, key, q_upper);
        g_autofree char *q_active = g_strdup_printf ("%s&status=ACTIVE", q_email);
        g_autoptr(GPtrArray) active = list_subscriptions (sb, key, q_active);
        g_autofree char *q_paused = g_strdup_printf ("%s&status=PAUSED", q_email);
        g_autoptr(GPtrArray) paused = list_subscriptions (sb, key, q_paused);
        g_autofree char *q_plan = g_strdup_printf ("%s&planId=%s", q_email, plan (1));
        g_autoptr(GPtrArray) by_plan = list_subscriptions (sb, key, q_plan);
        g_autofree char *q_all3 = g_strdup_printf ("%s&planId=%s&status=CANCELED", q_email, plan (1));
        g_autoptr(GPtrArray) all3 = list_subscriptions (sb, key, q_all3);
        g_autoptr(GPtrArray) none = list_subscriptions (sb, key, "?planId=nope");
        g_autoptr(GPtrArray) empty_filters = list_subscriptions (sb, key, "?status=&customerEmail=&planId=");
        g_autoptr(PdTestResponse) bogus = pays (key, "GET", "/subscriptions?status=EXPIRED", NULL);
        g_autoptr(PdTestResponse) lower = pays (key, "GET", "/subscriptions?status=active", NULL);

        g_assert_cmpuint (all->len, >=, 4);
        g_assert_true (g_ptr_array_find_with_equal_func (all, other, g_str_equal, NULL));
        g_assert_true (ids_equal (by_email, (const char *[]) { c, b, a, NULL }));
        g_assert_true (ids_equal (by_email_case, (const char *[]) { c, b, a, NULL }));
        g_assert_true (ids_equal (active, (const char *[]) { a, NULL }));
        g_assert_true (ids_equal (paused, (const char *[]) { b, NULL }));
        g_assert_true (ids_equal (by_plan, (const char *[]) { c, b, NULL }));
        g_assert_true (ids_equal (all3, (const char *[]) { c, NULL }));
        g_assert_cmpuint (none->len, ==, 0);
        g_assert_cmpuint (empty_filters->len, ==, all->len);
        assert_field_error (bogus, "status");
        assert_field_error (lower, "status");
      }
    }
}

/* The sandbox clock ends a period: ACTIVE becomes PAST_DUE when read. */
static void
test_subscription_past_due (void)
{
  PdTestSandbox *own = pd_test_sandbox_start (FALSE, 0);
  GStrv plans = pd_test_sandbox_plan_ids (own);
  g_autofree char *checkout = NULL;
  g_autofree char *id = create_subscription (own, TEST, plans[0], "late@example.co.mz", &checkout);
  g_autofree char *yearly_checkout = NULL;
  g_autofree char *yearly = create_subscription (own, TEST, plans[2], "late@example.co.mz", &yearly_checkout);
  g_autoptr(PdTestResponse) paid = post_form (own, checkout, "paymentMethod=CARD");
  g_autoptr(PdTestResponse) paid_yearly = post_form (own, yearly_checkout, "paymentMethod=CARD");
  g_autoptr(PdTestResponse) r1 = NULL;
  g_autoptr(PdTestResponse) r2 = NULL;
  g_autoptr(PdTestResponse) r3 = NULL;
  g_autoptr(PdTestResponse) r4 = NULL;
  JsonObject *data;
  gint64 first_end;

  g_assert_cmpuint (paid->status, ==, 200);
  g_assert_cmpuint (paid_yearly->status, ==, 200);
  data = get_subscription (own, TEST, id, &r1);
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "ACTIVE");
  first_end = unix_time_of (data, "currentPeriodEnd");

  pd_test_sandbox_advance_clock (own, 32 * 24 * 3600);

  data = get_subscription (own, TEST, id, &r2);
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "PAST_DUE");
  g_assert_cmpint (unix_time_of (data, "currentPeriodEnd"), ==, first_end);
  {
    g_autoptr(GPtrArray) past_due = list_subscriptions (own, TEST, "?status=PAST_DUE");
    g_autoptr(GPtrArray) active = list_subscriptions (own, TEST, "?status=ACTIVE");

    g_assert_true (ids_equal (past_due, (const char *[]) { id, NULL }));
    /* The yearly plan's period has not ended. */
    g_assert_true (ids_equal (active, (const char *[]) { yearly, NULL }));
  }
  assert_invalid_action (own, TEST, id, "resume");

  /* Paused and resumed, it is still past due. */
  {
    g_autoptr(PdTestResponse) pause = update_subscription (own, TEST, id, "pause");
    g_autoptr(PdTestResponse) resume = update_subscription (own, TEST, id, "resume");

    assert_updated (pause, id, "PAUSED");
    assert_updated (resume, id, "PAST_DUE");
  }

  /* Paying on the checkout page starts a new period from now. */
  {
    g_autoptr(PdTestResponse) page = pd_test_http (own, "GET", checkout, NULL, NULL, NULL);
    g_autoptr(PdTestResponse) renewed = post_form (own, checkout, "paymentMethod=CARD");

    assert_contains (pd_test_response_text (page), "<form");
    g_assert_cmpuint (renewed->status, ==, 200);
  }
  data = get_subscription (own, TEST, id, &r3);
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "ACTIVE");
  g_assert_cmpint (unix_time_of (data, "currentPeriodStart"), >, first_end);
  g_assert_cmpint (unix_time_of (data, "currentPeriodEnd"), >, unix_time_of (data, "currentPeriodStart"));

  data = get_subscription (own, TEST, yearly, &r4);
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "ACTIVE");

  pd_test_sandbox_stop (own);
}

/* Garbage */

static void
test_garbage_bodies (void)
{
  g_autoptr(GString) huge = g_string_new ("{\"amount\": 100, \"currency\": \"MZN\", \"metadata\": {\"pad\": \"");
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *endpoints[][2] = {
    { "POST", "/payment/create" },
    { "POST", "/payment/confirm" },
    { "POST", "/subscription/create" },
    { "PATCH", "/subscriptions/3b4c1d2e-1111-4222-8333-944455556666" },
  };

  while (huge->len < 300 * 1024)
    g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (huge, "\"}}");
  for (guint i = 0; i < 1000; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '}');

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      const char *method = endpoints[i][0];
      const char *path = endpoints[i][1];
      const char *bad[] = {
        "not json", "{\"amount\": ", "[1, 2, 3]", "\"text\"", "42", "null", "{\"a\": 1}}", "\xff\xfe{}",
      };

      for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
        {
          g_autoptr(PdTestResponse) resp = pays (TEST, method, path, bad[j]);
          g_autofree char *printable = g_strescape (bad[j], NULL);

          g_test_message ("%s %s: %s", method, path, printable);
          assert_error (resp, 400, "MISSING_FIELDS");
        }

      {
        g_autoptr(PdTestResponse) too_large = pays (TEST, method, path, huge->str);
        g_autoptr(PdTestResponse) too_deep = pays (TEST, method, path, deep->str);
        g_autoptr(PdTestResponse) empty = pays (TEST, method, path, "");

        assert_error (too_large, 413, "MISSING_FIELDS");
        assert_error (too_deep, 400, "MISSING_FIELDS");
        g_assert_cmpuint (empty->status, >=, 400);
        g_assert_cmpuint (empty->status, <, 500);
      }
    }

  {
    g_auto(Payment) p = { 0 };
    g_autoptr(PdTestResponse) page = NULL;

    create_payment (sb, TEST, "1.00", NULL, &p);
    page = post_form (sb, p.checkout_url, huge->str);
    g_assert_cmpuint (page->status, ==, 413);
  }

  /* Still up. */
  balance_of (TEST);
}

/* The spec's 500 body, served by the sandbox's fault switch. */
static void
test_internal_error (void)
{
  g_autoptr(PdTestResponse) resp = NULL;

  pd_test_sandbox_fault (sb, "/paysgator/api/v1/wallet/balance", "http_500", 1, 0, FALSE);
  resp = pays (LIVE, "GET", "/wallet/balance", NULL);
  assert_error (resp, 500, "INTERNAL_ERROR");
  balance_of (LIVE);
}

/* Demo data */

static void
test_demo (void)
{
  PdTestSandbox *demo = pd_test_sandbox_start (TRUE, 0);
  g_autoptr(PdTestResponse) info = pd_test_http (demo, "GET", "/_sandbox/info", NULL, NULL, NULL);
  JsonObject *paysgator = json_object_get_object_member (pd_test_response_object (info), "paysgator");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint k = 0; k < G_N_ELEMENTS (both_keys); k++)
    {
      const char *key = both_keys[k];
      JsonArray *txns = json_object_get_array_member (paysgator, k == 0 ? "live_transactions" : "test_transactions");
      JsonArray *subs = json_object_get_array_member (paysgator, k == 0 ? "live_subscriptions" : "test_subscriptions");
      g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) methods = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) sub_statuses = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(PdTestResponse) balance = pd_test_paysgator (demo, key, "GET", "/wallet/balance", NULL);
      gint64 previous = G_MAXINT64;
      gint64 net_total = 0;
      gint64 balance_minor = 0;

      g_assert_cmpuint (json_array_get_length (txns), >=, 24);
      for (guint i = 0; i < json_array_get_length (txns); i++)
        {
          const char *id = json_array_get_string_element (txns, i);
          g_autoptr(PdTestResponse) resp = get_transaction (demo, key, id);
          g_autoptr(PdTestResponse) other = get_transaction (demo, other_key (key), id);
          JsonObject *obj = ok_object (resp);
          gint64 created = unix_time_of (obj, "createdAt");
          gint64 amount = minor_of (json_object_get_member (obj, "amount"));
          const char *status = json_object_get_string_member (obj, "status");

          assert_error (other, 403, "MODE_MISMATCH");
          g_assert_cmpstr (json_object_get_string_member (obj, "currency"), ==, "MZN");
          g_assert_cmpstr (json_object_get_string_member (obj, "mode"), ==, mode_of (key));
          g_assert_cmpint (created, <=, previous);
          g_assert_cmpint (created, >, now - 61 * 24 * 3600);
          g_assert_cmpint (amount, >, 0);
          previous = created;

          g_hash_table_add (statuses, (gpointer) g_intern_string (status));
          if (g_str_equal (status, "PENDING"))
            g_assert_true (json_object_get_null_member (obj, "method"));
          else
            g_hash_table_add (methods, (gpointer) g_intern_string (json_object_get_string_member (obj, "method")));
          if (g_str_equal (status, "SUCCESS"))
            net_total += amount - (amount * 25 + 500) / 1000;
        }
      g_assert_true (g_hash_table_contains (statuses, "PENDING"));
      g_assert_true (g_hash_table_contains (statuses, "SUCCESS"));
      g_assert_true (g_hash_table_contains (statuses, "FAILED"));
      g_assert_true (g_hash_table_contains (statuses, "REFUNDED"));
      g_assert_true (g_hash_table_contains (methods, "MPESA"));
      g_assert_true (g_hash_table_contains (methods, "CARD"));

      /* The wallet holds the net of every successful payment. */
      g_assert_cmpint (pd_decimal_parse (json_object_get_string_member (ok_object (balance), "balance"), '.', 2,
                                         &balance_minor), ==, PD_DECIMAL_OK);
      g_assert_cmpint (balance_minor, ==, net_total);

      g_assert_cmpuint (json_array_get_length (subs), >=, 4);
      for (guint i = 0; i < json_array_get_length (subs); i++)
        {
          g_autoptr(PdTestResponse) resp = NULL;
          JsonObject *data = get_subscription (demo, key, json_array_get_string_element (subs, i), &resp);

          g_hash_table_add (sub_statuses, (gpointer) g_intern_string (json_object_get_string_member (data, "status")));
        }
      g_assert_true (g_hash_table_contains (sub_statuses, "ACTIVE"));
      g_assert_true (g_hash_table_contains (sub_statuses, "CANCELED"));
      g_assert_true (g_hash_table_contains (sub_statuses, "PAST_DUE"));
      g_assert_true (g_hash_table_contains (sub_statuses, "PAUSED"));
      {
        g_autoptr(GPtrArray) listed = list_subscriptions (demo, key, "");

        g_assert_cmpuint (listed->len, ==, json_array_get_length (subs));
        for (guint i = 0; i < listed->len; i++)
          g_assert_cmpstr (g_ptr_array_index (listed, i), ==, json_array_get_string_element (subs, i));
      }
    }

  pd_test_sandbox_stop (demo);
}

/* Plans are there without demo data, with fixed ids. */
static void
test_plans (void)
{
  GStrv plans = pd_test_sandbox_plan_ids (sb);
  PdTestSandbox *other = pd_test_sandbox_start (TRUE, 0);

  g_assert_cmpuint (g_strv_length (plans), >=, 2);
  for (guint i = 0; plans[i] != NULL; i++)
    g_assert_true (g_uuid_string_is_valid (plans[i]));
  g_assert_true (g_strv_equal ((const char * const *) plans,
                               (const char * const *) pd_test_sandbox_plan_ids (other)));
  pd_test_sandbox_stop (other);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/sandbox/paysgator/auth", test_auth);
  g_test_add_func ("/pd/sandbox/paysgator/routing", test_routing);
  g_test_add_func ("/pd/sandbox/paysgator/wallet-balance", test_wallet_balance);
  g_test_add_func ("/pd/sandbox/paysgator/payment/create", test_payment_create);
  g_test_add_func ("/pd/sandbox/paysgator/payment/create-invalid", test_payment_create_invalid);
  g_test_add_func ("/pd/sandbox/paysgator/payment/currency-mismatch", test_currency_mismatch);
  g_test_add_func ("/pd/sandbox/paysgator/payment/confirm-card-fee", test_confirm_card_fee);
  g_test_add_func ("/pd/sandbox/paysgator/payment/confirm-mpesa", test_confirm_mpesa);
  g_test_add_func ("/pd/sandbox/paysgator/payment/confirm-mpesa-declined", test_confirm_mpesa_declined);
  g_test_add_func ("/pd/sandbox/paysgator/payment/confirm-bad-phone", test_confirm_bad_phone);
  g_test_add_func ("/pd/sandbox/paysgator/payment/confirm-errors", test_confirm_errors);
  g_test_add_func ("/pd/sandbox/paysgator/transaction/get", test_transaction_get);
  g_test_add_func ("/pd/sandbox/paysgator/modes-separate", test_modes_separate);
  g_test_add_func ("/pd/sandbox/paysgator/checkout/redirect", test_checkout_page_redirect);
  g_test_add_func ("/pd/sandbox/paysgator/checkout/results", test_checkout_page_results);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/lifecycle", test_subscription_lifecycle);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/cancel-unpaid", test_subscription_cancel_unpaid);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/errors", test_subscription_errors);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/modes", test_subscription_modes);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/list", test_subscription_list);
  g_test_add_func ("/pd/sandbox/paysgator/subscription/past-due", test_subscription_past_due);
  g_test_add_func ("/pd/sandbox/paysgator/garbage-bodies", test_garbage_bodies);
  g_test_add_func ("/pd/sandbox/paysgator/internal-error", test_internal_error);
  g_test_add_func ("/pd/sandbox/paysgator/demo", test_demo);
  g_test_add_func ("/pd/sandbox/paysgator/plans", test_plans);

  /* The rate limit has its own tests; here it would only get in the way. */
  sb = pd_test_sandbox_start (FALSE, 0);
  ret = g_test_run ();
  pd_test_sandbox_stop (sb);
  return ret;
}
