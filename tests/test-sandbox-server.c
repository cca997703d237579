/* test-sandbox-server.c: the sandbox's edge: rate limit, faults, request log, control API */
#include "config.h"

#include <string.h>

#include "pd-test-sandbox.h"

static PdTestSandbox *sb;

#define STATUS_PATH "/payments/00000000-0000-4000-8000-000000000000/status"

static void
reset_sandbox (void)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sb, "DELETE", "/_sandbox/faults", NULL, NULL, NULL);

  g_assert_cmpuint (resp->status, ==, 204);
  pd_test_sandbox_clear_requests (sb);
}

static void
test_unknown_paths (void)
{
  g_autoptr(PdTestResponse) outside = pd_test_http (sb, "GET", "/nothing/here", NULL, NULL, NULL);
  g_autoptr(PdTestResponse) control = pd_test_http (sb, "GET", "/_sandbox/nothing", NULL, NULL, NULL);

  g_assert_cmpuint (outside->status, ==, 404);
  g_assert_cmpuint (control->status, ==, 404);
}

static void
test_info (void)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sb, "GET", "/_sandbox/info", NULL, NULL, NULL);
  JsonObject *obj = pd_test_response_object (resp);
  JsonObject *pesogate = json_object_get_object_member (obj, "pesogate");
  JsonObject *paysgator = json_object_get_object_member (obj, "paysgator");

  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (pesogate, "base_url"), ==, pd_test_sandbox_pesogate_url (sb));
  g_assert_cmpstr (json_object_get_string_member (pesogate, "api_key"), ==, PD_SANDBOX_PESOGATE_API_KEY);
  g_assert_cmpstr (json_object_get_string_member (pesogate, "api_secret"), ==, PD_SANDBOX_PESOGATE_API_SECRET);
  g_assert_cmpstr (json_object_get_string_member (paysgator, "base_url"), ==, pd_test_sandbox_paysgator_url (sb));
  g_assert_cmpstr (json_object_get_string_member (paysgator, "live_key"), ==, PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  g_assert_cmpstr (json_object_get_string_member (paysgator, "test_key"), ==, PD_SANDBOX_PAYSGATOR_TEST_KEY);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (paysgator, "plans")), >, 0);
  /* Demo data is there to import: the APIs cannot list it. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pesogate, "references")), >=, 20);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (paysgator, "live_transactions")), >=, 10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (paysgator, "test_subscriptions")), >=, 4);
}

/* Demo ids are the same at every start: an app importing them keeps one copy. */
static void
test_demo_ids_stable (void)
{
  PdTestSandbox *other = pd_test_sandbox_start (TRUE, 0);
  g_autoptr(PdTestResponse) a = pd_test_http (sb, "GET", "/_sandbox/info", NULL, NULL, NULL);
  g_autoptr(PdTestResponse) b = pd_test_http (other, "GET", "/_sandbox/info", NULL, NULL, NULL);
  const char *members[][2] = {
    { "pesogate", "references" },
    { "paysgator", "live_transactions" },
    { "paysgator", "test_subscriptions" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonArray *ids_a = json_object_get_array_member (json_object_get_object_member (pd_test_response_object (a), members[i][0]), members[i][1]);
      JsonArray *ids_b = json_object_get_array_member (json_object_get_object_member (pd_test_response_object (b), members[i][0]), members[i][1]);

      g_assert_cmpuint (json_array_get_length (ids_a), ==, json_array_get_length (ids_b));
      for (guint j = 0; j < json_array_get_length (ids_a); j++)
        {
          g_assert_true (g_uuid_string_is_valid (json_array_get_string_element (ids_a, j)));
          g_assert_cmpstr (json_array_get_string_element (ids_a, j), ==, json_array_get_string_element (ids_b, j));
        }
    }

  pd_test_sandbox_stop (other);
}

static void
test_request_log_redacts (void)
{
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(JsonArray) log = NULL;
  JsonObject *entry, *headers;

  reset_sandbox ();
  resp = pd_test_pesogate (sb, "GET", STATUS_PATH "?x=1", NULL);
  g_assert_cmpuint (resp->status, ==, 404);

  log = pd_test_sandbox_requests (sb, "/pesogate/");
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  entry = json_array_get_object_element (log, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/pesogate/api/v1" STATUS_PATH);
  g_assert_cmpstr (json_object_get_string_member (entry, "query"), ==, "x=1");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 404);
  headers = json_object_get_object_member (entry, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Api-Key"), ==, "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Api-Secret"), ==, "[redacted]");
  g_assert_null (strstr (pd_test_response_text (resp), PD_SANDBOX_PESOGATE_API_SECRET));

  /* Control requests are not logged, and the filter filters. */
  g_clear_pointer (&log, json_array_unref);
  log = pd_test_sandbox_requests (sb, "/paysgator/");
  g_assert_cmpuint (json_array_get_length (log), ==, 0);

  pd_test_sandbox_clear_requests (sb);
  g_clear_pointer (&log, json_array_unref);
  log = pd_test_sandbox_requests (sb, NULL);
  g_assert_cmpuint (json_array_get_length (log), ==, 0);
}

static void
test_fault_http_500 (void)
{
  g_autoptr(PdTestResponse) peso = NULL;
  g_autoptr(PdTestResponse) pays = NULL;
  g_autoptr(PdTestResponse) after = NULL;
  JsonObject *obj;

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/", "http_500", 1, 0, FALSE);
  pd_test_sandbox_fault (sb, "/paysgator/", "http_500", 1, 0, FALSE);

  peso = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (peso->status, ==, 500);
  obj = pd_test_response_object (peso);
  g_assert_false (json_object_get_boolean_member (obj, "success"));
  g_assert_true (json_object_has_member (obj, "message"));

  pays = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_TEST_KEY, "GET", "/wallet/balance", NULL);
  g_assert_cmpuint (pays->status, ==, 500);
  obj = json_object_get_object_member (pd_test_response_object (pays), "error");
  g_assert_cmpstr (json_object_get_string_member (obj, "code"), ==, "INTERNAL_ERROR");

  /* Count 1: the next request is served normally. */
  after = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (after->status, ==, 404);
}

static void
test_fault_html_pages (void)
{
  const char *kinds[] = { "http_502", "http_503" };
  const guint statuses[] = { 502, 503 };

  reset_sandbox ();
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(PdTestResponse) resp = NULL;

      pd_test_sandbox_fault (sb, "/pesogate/api/v1/payments/", kinds[i], 1, 0, FALSE);
      resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
      g_assert_cmpuint (resp->status, ==, statuses[i]);
      g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (resp->headers, NULL), "text/html"));
      g_assert_null (resp->json);
      g_assert_nonnull (strstr (pd_test_response_text (resp), "<html>"));
    }
}

static void
test_fault_malformed (void)
{
  g_autoptr(PdTestResponse) resp = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/paysgator/", "malformed", 1, 0, FALSE);
  resp = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_LIVE_KEY, "GET", "/wallet/balance", NULL);
  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (resp->headers, NULL), ==, "application/json");
  g_assert_null (resp->json);
  g_assert_cmpuint (g_bytes_get_size (resp->body), >, 0);
}

static void
test_fault_truncated (void)
{
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(PdTestResponse) next = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/", "truncated", 1, 0, FALSE);
  resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  /* The body stops short of its Content-Length. libsoup hands over what came
   * without an error, so a client has to compare the two itself. */
  if (resp->error == NULL)
    {
      goffset announced = soup_message_headers_get_content_length (resp->headers);

      g_assert_cmpuint (resp->status, ==, 200);
      g_assert_cmpint (announced, >, (goffset) g_bytes_get_size (resp->body));
    }
  g_assert_null (resp->json);

  next = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (next->status, ==, 404);
}

static void
test_fault_huge (void)
{
  g_autoptr(PdTestResponse) resp = NULL;

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/", "huge", 1, 0, FALSE);
  resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_no_error (resp->error);
  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (resp->body), ==, 10 * 1024 * 1024);
}

static void
test_fault_delay (void)
{
  g_autoptr(PdTestResponse) resp = NULL;
  gint64 start = g_get_monotonic_time ();

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/", "delay", 1, 400, FALSE);
  resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (resp->status, ==, 404);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
}

static void
test_fault_reset (void)
{
  g_autoptr(PdTestResponse) post = NULL;
  g_autoptr(PdTestResponse) get = NULL;
  g_autoptr(PdTestResponse) next = NULL;
  g_autoptr(JsonArray) log = NULL;

  reset_sandbox ();

  /* A POST is never re-sent by the HTTP stack: the reset reaches the client. */
  pd_test_sandbox_fault (sb, "/paysgator/api/v1/payment/create", "reset", 1, 0, FALSE);
  post = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_TEST_KEY, "POST", "/payment/create", "{}");
  g_assert_nonnull (post->error);
  g_assert_cmpuint (post->status, ==, 0);
  log = pd_test_sandbox_requests (sb, "/paysgator/api/v1/payment/create");
  g_assert_cmpuint (json_array_get_length (log), ==, 1);

  /* libsoup quietly re-sends an idempotent GET when a kept-alive connection
   * dies, a few times: only a run of resets fails it. */
  pd_test_sandbox_fault (sb, "/paysgator/api/v1/wallet/", "reset", 8, 0, FALSE);
  get = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_LIVE_KEY, "GET", "/wallet/balance", NULL);
  g_assert_nonnull (get->error);
  reset_sandbox ();

  next = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_LIVE_KEY, "GET", "/wallet/balance", NULL);
  g_assert_cmpuint (next->status, ==, 200);
}

static void
test_fault_rate_limit (void)
{
  g_autoptr(PdTestResponse) resp = NULL;
  JsonObject *obj;

  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/", "rate_limit", 1, 7, FALSE);
  resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (resp->status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (resp->headers, "Retry-After"), ==, "7");
  obj = pd_test_response_object (resp);
  g_assert_false (json_object_get_boolean_member (obj, "success"));
}

static void
test_fault_count_and_prefix (void)
{
  reset_sandbox ();
  pd_test_sandbox_fault (sb, "/pesogate/api/v1/payments/", "http_500", 2, 0, FALSE);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PdTestResponse) other = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_LIVE_KEY, "GET", "/wallet/balance", NULL);
      g_autoptr(PdTestResponse) resp = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);

      g_assert_cmpuint (other->status, ==, 200);
      g_assert_cmpuint (resp->status, ==, i < 2 ? 500 : 404);
    }
}

static void
test_fault_bad_spec (void)
{
  g_autoptr(PdTestResponse) unknown = pd_test_http (sb, "POST", "/_sandbox/faults", NULL,
                                                    "{\"kind\": \"meteor\"}", NULL);
  g_autoptr(PdTestResponse) garbage = pd_test_http (sb, "POST", "/_sandbox/faults", NULL, "{{", NULL);

  g_assert_cmpuint (unknown->status, ==, 400);
  g_assert_cmpuint (garbage->status, ==, 400);
}

static void
test_clock (void)
{
  g_autoptr(PdTestResponse) before = pd_test_http (sb, "POST", "/_sandbox/clock", NULL, "{\"advance_seconds\": 0}", NULL);
  g_autoptr(PdTestResponse) after = pd_test_http (sb, "POST", "/_sandbox/clock", NULL, "{\"advance_seconds\": 86400}", NULL);
  g_autoptr(GDateTime) t0 = NULL;
  g_autoptr(GDateTime) t1 = NULL;

  t0 = g_date_time_new_from_iso8601 (json_object_get_string_member (pd_test_response_object (before), "now"), NULL);
  t1 = g_date_time_new_from_iso8601 (json_object_get_string_member (pd_test_response_object (after), "now"), NULL);
  g_assert_nonnull (t0);
  g_assert_nonnull (t1);
  g_assert_cmpint (g_date_time_difference (t1, t0) / G_USEC_PER_SEC, >=, 86400);
  g_assert_cmpint (g_date_time_difference (t1, t0) / G_USEC_PER_SEC, <=, 86402);
}

/* A sandbox of its own with a small limit, so the window is easy to fill. */
static void
test_rate_limit_window (void)
{
  PdTestSandbox *limited = pd_test_sandbox_start (FALSE, 5);
  g_autoptr(PdTestResponse) over = NULL;
  g_autoptr(PdTestResponse) other_key = NULL;
  g_autoptr(PdTestResponse) page = NULL;
  JsonObject *obj;
  guint64 retry_after;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PdTestResponse) resp = pd_test_pesogate (limited, "GET", STATUS_PATH, NULL);

      g_assert_cmpuint (resp->status, ==, 404);
    }

  over = pd_test_pesogate (limited, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (over->status, ==, 429);
  retry_after = g_ascii_strtoull (soup_message_headers_get_one (over->headers, "Retry-After"), NULL, 10);
  g_assert_cmpuint (retry_after, >=, 1);
  g_assert_cmpuint (retry_after, <=, 60);
  obj = pd_test_response_object (over);
  g_assert_false (json_object_get_boolean_member (obj, "success"));
  g_assert_true (json_object_has_member (obj, "message"));

  /* The limit is per key, and pages outside the API are not counted. */
  other_key = pd_test_paysgator (limited, PD_SANDBOX_PAYSGATOR_TEST_KEY, "GET", "/wallet/balance", NULL);
  g_assert_cmpuint (other_key->status, ==, 200);
  page = pd_test_http (limited, "GET", "/pesogate/3ds/result/unknown", NULL, NULL, NULL);
  g_assert_cmpuint (page->status, !=, 429);

  pd_test_sandbox_stop (limited);
}

static void
test_garbage_does_not_stall (void)
{
  g_autoptr(GString) huge = g_string_new ("{\"a\":\"");
  g_autoptr(PdTestResponse) big = NULL;
  g_autoptr(PdTestResponse) alive = NULL;
  const char *bodies[] = { "", "\x01\x02\xff", "[1,2,3]", "null", "{\"a\":", "\"text\"" };

  reset_sandbox ();
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(PdTestResponse) peso = pd_test_pesogate (sb, "POST", "/payments/initialize", bodies[i]);
      g_autoptr(PdTestResponse) pays = pd_test_paysgator (sb, PD_SANDBOX_PAYSGATOR_TEST_KEY, "POST", "/payment/create", bodies[i]);

      g_assert_cmpuint (peso->status, >=, 400);
      g_assert_cmpuint (peso->status, <, 500);
      g_assert_cmpuint (pays->status, >=, 400);
      g_assert_cmpuint (pays->status, <, 500);
    }

  /* 10 MB of JSON is refused without being parsed. */
  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (huge, "\"}");
  big = pd_test_pesogate (sb, "POST", "/payments/initialize", huge->str);
  g_assert_cmpuint (big->status, ==, 413);

  alive = pd_test_pesogate (sb, "GET", STATUS_PATH, NULL);
  g_assert_cmpuint (alive->status, ==, 404);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  sb = pd_test_sandbox_start (TRUE, 0);

  g_test_add_func ("/pd/sandbox/server/unknown-paths", test_unknown_paths);
  g_test_add_func ("/pd/sandbox/server/info", test_info);
  g_test_add_func ("/pd/sandbox/server/demo-ids-stable", test_demo_ids_stable);
  g_test_add_func ("/pd/sandbox/server/request-log-redacts", test_request_log_redacts);
  g_test_add_func ("/pd/sandbox/server/fault/http-500", test_fault_http_500);
  g_test_add_func ("/pd/sandbox/server/fault/html-pages", test_fault_html_pages);
  g_test_add_func ("/pd/sandbox/server/fault/malformed", test_fault_malformed);
  g_test_add_func ("/pd/sandbox/server/fault/truncated", test_fault_truncated);
  g_test_add_func ("/pd/sandbox/server/fault/huge", test_fault_huge);
  g_test_add_func ("/pd/sandbox/server/fault/delay", test_fault_delay);
  g_test_add_func ("/pd/sandbox/server/fault/reset", test_fault_reset);
  g_test_add_func ("/pd/sandbox/server/fault/rate-limit", test_fault_rate_limit);
  g_test_add_func ("/pd/sandbox/server/fault/count-and-prefix", test_fault_count_and_prefix);
  g_test_add_func ("/pd/sandbox/server/fault/bad-spec", test_fault_bad_spec);
  g_test_add_func ("/pd/sandbox/server/clock", test_clock);
  g_test_add_func ("/pd/sandbox/server/rate-limit-window", test_rate_limit_window);
  g_test_add_func ("/pd/sandbox/server/garbage-does-not-stall", test_garbage_does_not_stall);

  ret = g_test_run ();
  pd_test_sandbox_stop (sb);
  return ret;
}
