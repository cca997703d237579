#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-test-sandbox.h"

/* A self-signed certificate (CN=paydesk-test.invalid, EC P-256, valid for a
 * century) and its key: a TLS server no client can trust. */
static const char test_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBlTCCATugAwIBAgIUfCGBX++jl6WcURKTZYrZvYin7+8wCgYIKoZIzj0EAwIw\n"
  "HzEdMBsGA1UEAwwUcGF5ZGVzay10ZXN0LmludmFsaWQwIBcNMjYxMTIxMTcxOTA4\n"
  "WhgPMjEyNjEwMjgxNzE5MDhaMB8xHTAbBgNVBAMMFHBheWRlc2stdGVzdC5pbnZh\n"
  "bGlkMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHfkEfwrrLlhUKxFC8VyoHliC\n"
  "5ps+E0m3SDtA+YxlyUL1GRuhGLnCr0rsbeK4iL8nVJz4xvaba6GGob9Ag1wPmaNT\n"
  "MFEwHQYDVR0OBBYEFI0ZfyBnLfFTkQq5siHGamcWEnC4MB8GA1UdIwQYMBaAFI0Z\n"
  "fyBnLfFTkQq5siHGamcWEnC4MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID\n"
  "SAAwRQIgBTeFbwQsJCylcV17ZSvrtgi3LM3M4K0d40fUvHLEY/ACIQCiLToU8osh\n"
  "LwwmSSiGpb9S0J4DvCDJhtKZtH118z+nOA==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXn03fU5otu+Iiyaw\n"
  "KwNJGteTX5fPlrOU3I5hXtWqxgGhRANCAAQd+QR/CusuWFQrEULxXKgeWILmmz4T\n"
  "SbdIO0D5jGXJQvUZG6EYucKvSuxt4riIvydUnPjG9ptroYahv0CDXA+Z\n"
  "-----END PRIVATE KEY-----\n";

#define TEST_KEY    "pk_test_key_0123"
#define TEST_SECRET "sk_test_secret_4567"
#define TEST_PAN    "4111111111111111"

/* The test's own server, for what the sandbox cannot produce. */
static SoupServer    *server;
static char          *server_url;
static GHashTable    *hits;          /* path → times asked */
static SoupMessageHeaders *last_request_headers;
static gsize          endless_written;
static PdTestSandbox *sandbox_instance;

/* Helpers */

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static PdHttpResponse *
request (PdHttp        *http,
         const char    *method,
         const char    *path,
         const char    *body,
         PdHttpFlags    flags,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_http_request_async (http, method, path, body, flags, cancellable, on_request_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return pd_http_request_finish (http, result, error);
}

static PdHttp *
new_http (const char *base_url)
{
  g_autoptr(GError) error = NULL;
  PdHttp *http = pd_http_new (base_url, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (http);
  pd_http_set_credentials (http, TEST_KEY, TEST_SECRET);
  return http;
}

static guint
hit_count (const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (hits, path));
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* The test server */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
reply_html (SoupServerMessage *msg,
            guint              status)
{
  g_autofree char *html = g_strdup_printf ("<!DOCTYPE html><html><head><title>%u</title></head>"
                                           "<body><h1>%u %s</h1><hr>nginx</body></html>",
                                           status, status, soup_status_get_phrase (status));

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

/* Writes a partial answer by hand and closes, as a dropped connection does. */
static void
reply_truncated (SoupServerMessage *msg)
{
  static const char raw[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 400\r\n"
    "\r\n"
    "{\"success\": true, \"data\": {\"status\": \"comp";
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, sizeof raw - 1, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Closes with a TCP reset after the whole request was read. */
static void
reply_reset (SoupServerMessage *msg)
{
  struct linger lg = { .l_onoff = 1, .l_linger = 0 };
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  stream = soup_server_message_steal_connection (msg);
  g_io_stream_close (stream, NULL, NULL);
}

static void
on_endless_chunk (SoupServerMessage *msg,
                  gpointer           data)
{
  static char chunk[64 * 1024];

  /* Bounded, so a client that never stops cannot hang the test. */
  if (endless_written > 256 * 1024 * 1024)
    {
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      return;
    }
  memset (chunk, 'x', sizeof chunk);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, chunk, sizeof chunk);
  endless_written += sizeof chunk;
}

typedef struct
{
  SoupServerMessage *msg;
  gboolean           finished;
} Slow;

static void
on_slow_finished (SoupServerMessage *msg,
                  Slow              *slow)
{
  slow->finished = TRUE;
}

static gboolean
on_slow_elapsed (gpointer data)
{
  Slow *slow = data;

  g_signal_handlers_disconnect_by_func (slow->msg, on_slow_finished, slow);
  if (!slow->finished)
    {
      reply_json (slow->msg, 200, "{\"success\": true, \"message\": \"slow\"}");
      soup_server_message_unpause (slow->msg);
    }
  g_object_unref (slow->msg);
  g_free (slow);
  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *srv,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           data)
{
  guint count = hit_count (path) + 1;
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n_parts = g_strv_length (parts);

  g_hash_table_insert (hits, g_strdup (path), GUINT_TO_POINTER (count));
  g_clear_pointer (&last_request_headers, soup_message_headers_unref);
  last_request_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));

  if (g_str_equal (path, "/ok"))
    reply_json (msg, 200, "{\"success\": true, \"message\": \"ok\"}");
  else if (g_str_equal (path, "/empty"))
    soup_server_message_set_status (msg, 204, NULL);
  else if (g_str_equal (path, "/echo-card"))
    reply_json (msg, 200, "{\"success\": true, \"card_number\": \"" TEST_PAN "\", "
                          "\"note\": \"card 5555 5555 5555 4444 used\"}");
  else if (g_str_equal (path, "/pesogate/401"))
    reply_json (msg, 401, "{\"success\": false, \"message\": \"Invalid API credentials\"}");
  else if (g_str_equal (path, "/pesogate/404"))
    reply_json (msg, 404, "{\"success\": false, \"message\": \"Transaction not found\"}");
  else if (g_str_equal (path, "/pesogate/400"))
    reply_json (msg, 400, "{\"success\": false, \"message\": \"Cannot refund transaction: "
                          "Transaction is not in a completed state\"}");
  else if (g_str_equal (path, "/pesogate/422"))
    reply_json (msg, 422, "{\"success\": false, \"message\": \"Validation failed\", \"errors\": {"
                          "\"amount\": [\"The amount field is required.\", \"The amount must be at least 0.01.\"], "
                          "\"card_number\": [\"The card number " TEST_PAN " is invalid.\"]}}");
  else if (g_str_equal (path, "/pesogate/500"))
    reply_json (msg, 500, "{\"success\": false, \"message\": \"Server Error\"}");
  else if (n_parts == 2 && g_str_equal (parts[0], "paysgator"))
    {
      g_autofree char *body = g_strdup_printf ("{\"error\": {\"message\": \"Error %s\", \"code\": \"%s\"}}",
                                               parts[1], parts[1]);
      reply_json (msg, 400, body);
    }
  else if (n_parts == 2 && g_str_equal (parts[0], "html"))
    reply_html (msg, (guint) g_ascii_strtoull (parts[1], NULL, 10));
  else if (n_parts == 3 && g_str_equal (parts[0], "flaky"))
    {
      /* /flaky/<status>/<n>: the first n requests fail with <status>. */
      guint status = (guint) g_ascii_strtoull (parts[1], NULL, 10);

      if (count > g_ascii_strtoull (parts[2], NULL, 10))
        reply_json (msg, 200, "{\"success\": true, \"message\": \"at last\"}");
      else if (status == 429)
        {
          reply_json (msg, 429, "{\"success\": false, \"message\": \"Too Many Attempts.\"}");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
        }
      else if (status == 500)
        reply_json (msg, 500, "{\"success\": false, \"message\": \"Server Error\"}");
      else
        reply_html (msg, status);
    }
  else if (g_str_equal (path, "/rate-limit-long"))
    {
      reply_json (msg, 429, "{\"error\": {\"message\": \"Too many requests\", \"code\": \"RATE_LIMITED\"}}");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "120");
    }
  else if (g_str_equal (path, "/unavailable-long"))
    {
      reply_html (msg, 503);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "120");
    }
  else if (g_str_equal (path, "/malformed"))
    reply_json (msg, 200, "{\"success\": true,, \"message\": }");
  else if (g_str_equal (path, "/two-values"))
    reply_json (msg, 200, "{\"success\": true}{\"success\": false}");
  else if (g_str_equal (path, "/single-quotes"))
    reply_json (msg, 200, "{'success': true}");
  else if (g_str_equal (path, "/array"))
    reply_json (msg, 200, "[1, 2, 3]");
  else if (g_str_equal (path, "/not-utf8"))
    reply_json (msg, 200, "{\"message\": \"\xff\xfe\"}");
  else if (g_str_equal (path, "/deep"))
    {
      GString *deep = g_string_new (NULL);

      for (guint i = 0; i < 200000; i++)
        g_string_append_c (deep, '[');
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, deep->str, deep->len);
      g_string_free (deep, FALSE);
    }
  else if (g_str_equal (path, "/text"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "{\"success\": true}", 17);
    }
  else if (g_str_equal (path, "/truncated"))
    reply_truncated (msg);
  else if (g_str_equal (path, "/reset"))
    reply_reset (msg);
  else if (g_str_equal (path, "/huge"))
    {
      gsize len = 10 * 1024 * 1024;
      char *body = g_malloc (len);

      memset (body, ' ', len);
      body[0] = '{';
      body[len - 1] = '}';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
    }
  else if (g_str_equal (path, "/endless"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      endless_written = 0;
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "application/json", NULL);
      soup_message_body_set_accumulate (body, FALSE);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"pad\": \"", 9);
      g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_endless_chunk), NULL);
    }
  else if (n_parts == 2 && g_str_equal (parts[0], "slow"))
    {
      Slow *slow = g_new0 (Slow, 1);

      slow->msg = g_object_ref (msg);
      g_signal_connect (msg, "finished", G_CALLBACK (on_slow_finished), slow);
      soup_server_message_pause (msg);
      g_timeout_add ((guint) g_ascii_strtoull (parts[1], NULL, 10), on_slow_elapsed, slow);
    }
  else
    reply_json (msg, 404, "{\"success\": false, \"message\": \"No such test path\"}");
}

static SoupServer *
start_server (GTlsCertificate  *certificate,
              char            **url_out)
{
  g_autoptr(GError) error = NULL;
  SoupServer *srv = soup_server_new ("tls-certificate", certificate, NULL);
  GSList *uris;
  g_autofree char *url = NULL;

  soup_server_add_handler (srv, NULL, server_callback, NULL, NULL);
  soup_server_listen_local (srv, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | (certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (srv);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* No trailing '/': request paths bring their own. */
  url[strlen (url) - 1] = '\0';
  *url_out = g_steal_pointer (&url);
  return srv;
}

/* A server that resets each connection as soon as it has read the request
 * headers, while the client is still writing a large body. */

static gint early_reset_connections;

static gboolean
on_early_reset_run (GThreadedSocketService *service,
                    GSocketConnection      *connection,
                    GObject                *source,
                    gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger lg = { .l_onoff = 1, .l_linger = 0 };
  GString *seen = g_string_new (NULL);
  char buf[1024];
  gssize n;

  while (strstr (seen->str, "\r\n\r\n") == NULL &&
         (n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (seen, buf, n);
  g_string_free (seen, TRUE);

  g_atomic_int_inc (&early_reset_connections);
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  g_socket_close (socket, NULL);
  return TRUE;
}

/* pd-error */

static void
test_error_messages (void)
{
  for (PdGatewayError code = PD_GATEWAY_ERROR_NETWORK; code <= PD_GATEWAY_ERROR_OUTCOME_UNKNOWN; code++)
    {
      g_autoptr(GError) error = pd_gateway_error_new (code, "technical detail");
      g_autoptr(GError) copy = g_error_copy (error);

      g_assert_error (error, PD_GATEWAY_ERROR, (gint) code);
      g_assert_cmpstr (error->message, ==, pd_gateway_error_code_get_message (code));
      g_assert_cmpuint (strlen (error->message), >, 10);
      /* The human text is not the technical one. */
      g_assert_null (strstr (error->message, "technical"));
      g_assert_cmpstr (pd_gateway_error_get_detail (copy), ==, "technical detail");
      g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), ==, -1);
      g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 0);
    }
}

static void
test_error_foreign (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpuint (pd_gateway_error_get_http_status (io), ==, 0);
  g_assert_null (pd_gateway_error_get_gateway_message (io));
  g_assert_null (pd_gateway_error_get_fields (io));
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (io), ==, -1);
  g_assert_null (pd_gateway_error_get_detail (NULL));
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_error_pesogate_bodies (void)
{
  static const struct {
    guint          status;
    PdGatewayError code;
  } cases[] = {
    { 400, PD_GATEWAY_ERROR_BAD_REQUEST },
    { 401, PD_GATEWAY_ERROR_UNAUTHORIZED },
    { 404, PD_GATEWAY_ERROR_NOT_FOUND },
    { 422, PD_GATEWAY_ERROR_VALIDATION },
    { 429, PD_GATEWAY_ERROR_RATE_LIMITED },
    { 500, PD_GATEWAY_ERROR_SERVER },
    { 503, PD_GATEWAY_ERROR_SERVER },
    { 409, PD_GATEWAY_ERROR_BAD_REQUEST },
    { 402, PD_GATEWAY_ERROR_DECLINED },
    { 302, PD_GATEWAY_ERROR_BAD_RESPONSE },
  };
  g_autoptr(JsonNode) body = parse ("{\"success\": false, \"message\": \"Something specific\"}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = pd_gateway_error_new_from_response (cases[i].status, body, -1);
      g_autoptr(GError) bare = pd_gateway_error_new_from_response (cases[i].status, NULL, -1);

      g_assert_error (error, PD_GATEWAY_ERROR, (gint) cases[i].code);
      g_assert_error (bare, PD_GATEWAY_ERROR, (gint) cases[i].code);
      g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, cases[i].status);
      g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Something specific");
      g_assert_null (pd_gateway_error_get_gateway_message (bare));
    }
}

static void
test_error_validation_fields (void)
{
  g_autoptr(JsonNode) body = parse ("{\"success\": false, \"message\": \"Validation failed\", \"errors\": {"
                                    "\"amount\": [\"The amount field is required.\", 7, \"Too small.\"],"
                                    "\"cvv\": \"The cvv must be 3 digits.\","
                                    "\"card_number\": [\"Card 4111 1111 1111 1111 refused\"]}}");
  g_autoptr(GError) error = pd_gateway_error_new_from_response (422, body, -1);
  g_autoptr(GError) copy = NULL;
  GHashTable *fields;
  GStrv amount;

  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  fields = pd_gateway_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 3);
  amount = g_hash_table_lookup (fields, "amount");
  g_assert_cmpuint (g_strv_length (amount), ==, 2);
  g_assert_cmpstr (amount[0], ==, "The amount field is required.");
  g_assert_cmpstr (amount[1], ==, "Too small.");
  g_assert_cmpstr (((GStrv) g_hash_table_lookup (fields, "cvv"))[0], ==, "The cvv must be 3 digits.");
  /* A card number never survives into an error. */
  g_assert_cmpstr (((GStrv) g_hash_table_lookup (fields, "card_number"))[0], ==, "Card [redacted] refused");

  /* A 400 with a field table is a validation error too. */
  {
    g_autoptr(GError) as_400 = pd_gateway_error_new_from_response (400, body, -1);
    g_assert_error (as_400, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION);
  }

  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_cmpuint (g_hash_table_size (pd_gateway_error_get_fields (copy)), ==, 3);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (copy), ==, "Validation failed");
}

static void
test_error_paysgator_codes (void)
{
  static const struct {
    const char     *code;
    PdGatewayError  expected;
  } cases[] = {
    { "UNAUTHORIZED", PD_GATEWAY_ERROR_UNAUTHORIZED },
    { "NOT_FOUND", PD_GATEWAY_ERROR_NOT_FOUND },
    { "MISSING_FIELDS", PD_GATEWAY_ERROR_VALIDATION },
    { "WALLET_NOT_FOUND", PD_GATEWAY_ERROR_WALLET_NOT_FOUND },
    { "CURRENCY_MISMATCH", PD_GATEWAY_ERROR_CURRENCY_MISMATCH },
    { "PAYMENT_FAILED", PD_GATEWAY_ERROR_DECLINED },
    { "INTERNAL_ERROR", PD_GATEWAY_ERROR_SERVER },
    { "INVALID_ACTION", PD_GATEWAY_ERROR_INVALID_ACTION },
    { "MODE_MISMATCH", PD_GATEWAY_ERROR_MODE_MISMATCH },
    /* Unknown codes fall back to the status. */
    { "SOMETHING_NEW", PD_GATEWAY_ERROR_BAD_REQUEST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"error\": {\"message\": \"Because %s\", \"code\": \"%s\"}}",
                                               cases[i].code, cases[i].code);
      g_autoptr(JsonNode) body = parse (json);
      g_autoptr(GError) error = pd_gateway_error_new_from_response (400, body, -1);
      g_autofree char *message = g_strdup_printf ("Because %s", cases[i].code);

      g_assert_error (error, PD_GATEWAY_ERROR, (gint) cases[i].expected);
      g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, cases[i].code);
      g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, message);
    }
}

static void
test_error_odd_bodies (void)
{
  static const char * const odd[] = {
    "[1, 2]", "\"just text\"", "42", "null", "{}",
    "{\"error\": \"a plain string\"}",
    "{\"error\": {\"message\": 5, \"code\": [\"X\"]}}",
    "{\"success\": \"no\", \"message\": {\"nested\": true}, \"errors\": [\"a\"]}",
    "{\"errors\": {\"amount\": 5}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autoptr(JsonNode) body = parse (odd[i]);
      g_autoptr(GError) error = pd_gateway_error_new_from_response (500, body, -1);

      g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER);
      g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 500);
    }

  /* A plain-string error keeps its text. */
  {
    g_autoptr(JsonNode) body = parse ("{\"error\": \"Wallet locked\"}");
    g_autoptr(GError) error = pd_gateway_error_new_from_response (403, body, -1);

    g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
    g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Wallet locked");
  }

  /* A 200 that says it failed is a refusal. */
  {
    g_autoptr(JsonNode) body = parse ("{\"success\": false, \"message\": \"Nope\"}");
    g_autoptr(GError) error = pd_gateway_error_new_from_response (200, body, -1);

    g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST);
  }
}

static void
test_error_rate_limited (void)
{
  g_autoptr(JsonNode) body = parse ("{\"error\": {\"message\": \"Too many\", \"code\": \"RATE_LIMITED\"}}");
  g_autoptr(GError) error = pd_gateway_error_new_from_response (429, body, 2500);
  g_autoptr(GError) unknown = pd_gateway_error_new_from_response (429, NULL, -1);

  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), ==, 2500);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Too many");
  /* The wait is rounded up, in the shopkeeper's words. */
  g_assert_nonnull (strstr (error->message, "3 seconds"));
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (unknown), ==, -1);
  g_assert_cmpstr (unknown->message, ==, pd_gateway_error_code_get_message (PD_GATEWAY_ERROR_RATE_LIMITED));
}

static void
test_error_no_card_numbers (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "Card 4111111111111111 declined", "Card [redacted] declined" },
    { "Card 4111 1111 1111 1111 declined", "Card [redacted] declined" },
    { "Card 4111-1111-1111-1111", "Card [redacted]" },
    { "Amex 378282246310005.", "Amex [redacted]." },
    { "\"4000000000000002\"", "\"[redacted]\"" },
    /* Not card numbers: too short, too long, part of an identifier, dates. */
    { "order 123456789012", "order 123456789012" },
    { "id 12345678901234567890", "id 12345678901234567890" },
    { "550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-446655440000" },
    { "2025-05-10T12:30:45Z", "2025-05-10T12:30:45Z" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = pd_redact_card_numbers (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }

  {
    g_autoptr(JsonNode) body = parse ("{\"success\": false, \"message\": \"Card " TEST_PAN " is blocked\"}");
    g_autoptr(GError) error = pd_gateway_error_new_from_response (400, body, -1);

    g_assert_null (strstr (pd_gateway_error_get_gateway_message (error), TEST_PAN));
    g_assert_null (strstr (error->message, TEST_PAN));
  }
}

static void
test_error_tls_message (void)
{
  g_autoptr(GError) error = pd_gateway_error_new_tls (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED, NULL);
  g_autoptr(GError) generic = pd_gateway_error_new_tls (0, NULL);

  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not signed by a known authority"));
  g_assert_nonnull (strstr (error->message, "expired"));
  g_assert_nonnull (strstr (generic->message, "could not be checked"));
}

/* Base URLs */

static void
test_http_base_url (void)
{
  static const char * const allowed[] = {
    "https://gateway.pesogate.com/api/v1",
    "https://paysgator.com/api/v1/",
    "http://127.0.0.1:8080/pesogate/api/v1",
    "http://127.1.2.3/",
    "http://[::1]:9000/api",
    "http://localhost:3000",
    "HTTP://LOCALHOST",
  };
  static const char * const refused[] = {
    "http://gateway.pesogate.com/api/v1",
    "http://10.0.0.1/api",
    "http://[::2]/api",
    "http://localhost.evil.example/api",
    "http://127.0.0.1.evil.example/",
    "ftp://127.0.0.1/",
    "file:///etc/passwd",
    "https://",
    "not a url",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdHttp) http = pd_http_new (allowed[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_true (PD_IS_HTTP (http));
      g_assert_false (g_str_has_suffix (pd_http_get_base_url (http), "/"));
      g_assert_nonnull (pd_http_get_pacer (http));
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdHttp) http = pd_http_new (refused[i], NULL, &error);

      g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INSECURE_URL);
      g_assert_null (http);
    }
}

/* Against the test's own server */

static void
test_http_ok_and_headers (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autofree char *user_agent = g_strdup_printf ("Paydesk/%s", PACKAGE_VERSION);
  g_autoptr(PdHttp) paysgator = NULL;

  response = request (http, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (response->attempts, ==, 1);
  g_assert_true (json_object_get_boolean_member (pd_http_response_get_object (response), "success"));
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==, "application/json");

  g_assert_cmpstr (soup_message_headers_get_one (last_request_headers, "User-Agent"), ==, user_agent);
  g_assert_cmpstr (soup_message_headers_get_one (last_request_headers, "X-Api-Key"), ==, TEST_KEY);
  g_assert_cmpstr (soup_message_headers_get_one (last_request_headers, "X-Api-Secret"), ==, TEST_SECRET);
  g_assert_cmpstr (soup_message_headers_get_one (last_request_headers, "Accept"), ==, "application/json");

  /* A POST carries its body as JSON. */
  g_clear_pointer (&response, pd_http_response_free);
  response = request (http, "POST", "/ok", "{\"amount\": 100.10}", PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_content_type (last_request_headers, NULL), ==, "application/json");

  /* PaysGator's accounts have a key and no secret. */
  paysgator = new_http (server_url);
  pd_http_set_credentials (paysgator, "live_key", NULL);
  g_clear_pointer (&response, pd_http_response_free);
  response = request (paysgator, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_one (last_request_headers, "X-Api-Key"), ==, "live_key");
  g_assert_null (soup_message_headers_get_one (last_request_headers, "X-Api-Secret"));

  /* No body at all is fine. */
  g_clear_pointer (&response, pd_http_response_free);
  response = request (http, "DELETE", "/empty", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 204);
  g_assert_null (response->body);
  g_assert_null (pd_http_response_get_object (response));
}

static GError *
expect_error (PdHttp         *http,
              const char     *method,
              const char     *path,
              PdGatewayError  code,
              guint           http_status)
{
  GError *error = NULL;
  g_autoptr(PdHttpResponse) response = request (http, method, path, method[0] == 'P' ? "{}" : NULL,
                                                PD_HTTP_FLAGS_NONE, NULL, &error);

  if (!g_error_matches (error, PD_GATEWAY_ERROR, (gint) code))
    g_error ("%s %s: expected code %d, got %s %d: %s (%s)", method, path, code,
             error ? g_quark_to_string (error->domain) : "success", error ? error->code : 0,
             error ? error->message : "", error ? pd_gateway_error_get_detail (error) : "");
  g_assert_null (response);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, http_status);
  return error;
}

static void
test_http_gateway_errors (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  GError *error;
  GHashTable *fields;

  pd_http_set_max_attempts (http, 1);

  error = expect_error (http, "GET", "/pesogate/401", PD_GATEWAY_ERROR_UNAUTHORIZED, 401);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Invalid API credentials");
  g_clear_error (&error);

  error = expect_error (http, "GET", "/pesogate/404", PD_GATEWAY_ERROR_NOT_FOUND, 404);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Transaction not found");
  g_clear_error (&error);

  error = expect_error (http, "POST", "/pesogate/400", PD_GATEWAY_ERROR_BAD_REQUEST, 400);
  g_assert_true (g_str_has_prefix (pd_gateway_error_get_gateway_message (error), "Cannot refund"));
  g_clear_error (&error);

  error = expect_error (http, "POST", "/pesogate/422", PD_GATEWAY_ERROR_VALIDATION, 422);
  fields = pd_gateway_error_get_fields (error);
  g_assert_cmpuint (g_strv_length (g_hash_table_lookup (fields, "amount")), ==, 2);
  g_assert_null (strstr (((GStrv) g_hash_table_lookup (fields, "card_number"))[0], TEST_PAN));
  g_clear_error (&error);

  error = expect_error (http, "GET", "/pesogate/500", PD_GATEWAY_ERROR_SERVER, 500);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Server Error");
  g_clear_error (&error);

  error = expect_error (http, "POST", "/paysgator/PAYMENT_FAILED", PD_GATEWAY_ERROR_DECLINED, 400);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "PAYMENT_FAILED");
  g_clear_error (&error);
  g_clear_error (&error);
  error = expect_error (http, "POST", "/paysgator/CURRENCY_MISMATCH", PD_GATEWAY_ERROR_CURRENCY_MISMATCH, 400);
  g_clear_error (&error);
  error = expect_error (http, "GET", "/paysgator/WALLET_NOT_FOUND", PD_GATEWAY_ERROR_WALLET_NOT_FOUND, 400);
  g_clear_error (&error);
  error = expect_error (http, "PATCH", "/paysgator/INVALID_ACTION", PD_GATEWAY_ERROR_INVALID_ACTION, 400);
  g_clear_error (&error);
  error = expect_error (http, "GET", "/paysgator/MODE_MISMATCH", PD_GATEWAY_ERROR_MODE_MISMATCH, 400);
  g_clear_error (&error);
}

static void
test_http_html_pages (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  GError *error;

  pd_http_set_max_attempts (http, 1);

  error = expect_error (http, "GET", "/html/502", PD_GATEWAY_ERROR_SERVER, 502);
  g_assert_nonnull (strstr (pd_gateway_error_get_detail (error), "text/html"));
  /* The page's text is never taken for the gateway's message. */
  g_assert_null (pd_gateway_error_get_gateway_message (error));
  g_clear_error (&error);

  error = expect_error (http, "GET", "/html/503", PD_GATEWAY_ERROR_SERVER, 503);
  g_clear_error (&error);
  error = expect_error (http, "GET", "/html/404", PD_GATEWAY_ERROR_NOT_FOUND, 404);
  g_clear_error (&error);
  error = expect_error (http, "GET", "/html/200", PD_GATEWAY_ERROR_BAD_RESPONSE, 200);
  g_clear_error (&error);
  error = expect_error (http, "GET", "/text", PD_GATEWAY_ERROR_BAD_RESPONSE, 200);
  g_clear_error (&error);
}

static void
test_http_bad_json (void)
{
  static const char * const paths[] = {
    "/malformed", "/two-values", "/single-quotes", "/array", "/not-utf8", "/deep",
  };
  g_autoptr(PdHttp) http = new_http (server_url);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GError *error = expect_error (http, "GET", paths[i], PD_GATEWAY_ERROR_BAD_RESPONSE, 200);

      /* Not a passing fault: a GET with a bad answer is not asked again. */
      g_assert_cmpuint (hit_count (paths[i]), ==, 1);
      g_clear_error (&error);
    }

  /* A POST whose 2xx answer cannot be read may have been acted on. */
  {
    GError *error = expect_error (http, "POST", "/malformed", PD_GATEWAY_ERROR_OUTCOME_UNKNOWN, 200);
    g_clear_error (&error);
  }
}

static void
test_http_truncated (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  guint before = hit_count ("/truncated");
  GError *error;

  pd_http_set_max_attempts (http, 2);
  error = expect_error (http, "GET", "/truncated", PD_GATEWAY_ERROR_BAD_RESPONSE, 200);
  /* A connection lost mid-answer is retried for a GET. */
  g_assert_cmpuint (hit_count ("/truncated") - before, ==, 2);
  g_clear_error (&error);

  before = hit_count ("/truncated");
  error = expect_error (http, "POST", "/truncated", PD_GATEWAY_ERROR_OUTCOME_UNKNOWN, 0);
  g_assert_cmpuint (hit_count ("/truncated") - before, ==, 1);
  g_clear_error (&error);
}

static void
test_http_too_large (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  GError *error;
  gint64 start;

  error = expect_error (http, "GET", "/huge", PD_GATEWAY_ERROR_BAD_RESPONSE, 200);
  g_assert_cmpstr (pd_gateway_error_get_detail (error), ==, "answer too large");
  g_clear_error (&error);

  /* Without a length up front, reading stops at the cap: this server would
   * otherwise send 256 MB. */
  start = g_get_monotonic_time ();
  error = expect_error (http, "GET", "/endless", PD_GATEWAY_ERROR_BAD_RESPONSE, 200);
  g_assert_cmpstr (pd_gateway_error_get_detail (error), ==, "answer too large");
  g_clear_error (&error);
  g_assert_cmpuint (endless_written, <, 64 * 1024 * 1024);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* The connection stays usable for the next request. */
  {
    g_autoptr(PdHttpResponse) response = request (http, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
test_http_retries (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  gint64 start = g_get_monotonic_time ();

  /* 503 (HTML), then 500 (JSON): each retried after 1 s, 2 s (with jitter). */
  response = request (http, "GET", "/flaky/503/1", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 2);
  g_assert_cmpuint (hit_count ("/flaky/503/1"), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1 * G_USEC_PER_SEC);
  g_clear_pointer (&response, pd_http_response_free);

  response = request (http, "GET", "/flaky/500/2", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  g_clear_pointer (&response, pd_http_response_free);

  /* A Retry-After too long to sit through is reported with the error. */
  start = g_get_monotonic_time ();
  response = request (http, "GET", "/unavailable-long", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER);
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), ==, 120000);
  g_assert_cmpuint (hit_count ("/unavailable-long"), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  /* A POST is not retried on a 5xx... */
  response = request (http, "POST", "/flaky/502/1", "{}", PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER);
  g_assert_cmpuint (hit_count ("/flaky/502/1"), ==, 1);
  g_clear_error (&error);

  /* ...unless it is idempotent by construction. */
  response = request (http, "POST", "/flaky/502/1", "{}", PD_HTTP_FLAGS_IDEMPOTENT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 1);
  g_assert_cmpuint (hit_count ("/flaky/502/1"), ==, 2);
}

static void
on_waiting_until (PdPacer    *pacer,
                  GParamSpec *pspec,
                  GArray     *waits)
{
  gint64 until = pd_pacer_get_waiting_until (pacer);

  g_array_append_val (waits, until);
}

static void
test_http_rate_limited (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = g_get_monotonic_time ();

  g_signal_connect (pd_http_get_pacer (http), "notify::waiting-until", G_CALLBACK (on_waiting_until), waits);

  /* 429 with Retry-After: 1, then the answer. */
  response = request (http, "GET", "/flaky/429/1", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1 * G_USEC_PER_SEC);
  /* The account paused, and said so: a wait about 1 s away, then none. */
  g_assert_cmpuint (waits->len, ==, 2);
  g_assert_cmpint (g_array_index (waits, gint64, 0) - start, >=, 900 * 1000);
  g_assert_cmpint (g_array_index (waits, gint64, 0) - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (waits, gint64, 1), ==, 0);
  g_clear_pointer (&response, pd_http_response_free);

  /* A wait too long to sit through is reported, not waited for. */
  start = g_get_monotonic_time ();
  response = request (http, "GET", "/rate-limit-long", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), >, 119000);
  g_assert_cmpint (pd_gateway_error_get_retry_after_ms (error), <=, 120000);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "RATE_LIMITED");
  g_assert_cmpuint (hit_count ("/rate-limit-long"), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (pd_pacer_get_waiting_seconds (pd_http_get_pacer (http)), ==, 120);
}

static void
test_http_timeout (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  gint64 start;

  pd_http_set_timeout (http, 1);

  /* Slow, but within the timeout. */
  response = request (http, "GET", "/slow/300", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, pd_http_response_free);

  start = g_get_monotonic_time ();
  response = request (http, "GET", "/slow/3000", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2500 * 1000);
  g_assert_cmpuint (hit_count ("/slow/3000"), ==, 1);
  g_clear_error (&error);

  /* A POST sent in full and then timed out may have been acted on. */
  response = request (http, "POST", "/slow/3001", "{}", PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
}

static void
test_http_reset (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;

  pd_http_set_max_attempts (http, 2);

  /* Reset after the whole request arrived: a POST's outcome is unknown,
   * and it is not sent again. */
  response = request (http, "POST", "/reset", "{\"order_id\": \"A1\"}", PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (hit_count ("/reset"), ==, 1);
  g_clear_error (&error);

  /* A GET is tried again, then reported as a network error. */
  response = request (http, "GET", "/reset", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NETWORK);
  g_assert_cmpuint (hit_count ("/reset"), ==, 3);
  g_clear_error (&error);

  /* An idempotent POST is tried again, and still unknown at the end. */
  response = request (http, "POST", "/reset", "{\"order_id\": \"A2\"}", PD_HTTP_FLAGS_IDEMPOTENT, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (hit_count ("/reset"), ==, 5);
}

static void
test_http_reset_before_sent (void)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttp) http = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  gsize body_len = 32 * 1024 * 1024;

  g_signal_connect (service, "run", G_CALLBACK (on_early_reset_run), NULL);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_socket_service_start (service);

  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  http = new_http (url);

  /* A body far larger than the socket buffers: the reset comes while it is
   * still being written, so the gateway cannot have acted on it. */
  body = g_malloc (body_len + 1);
  memset (body, ' ', body_len);
  body[0] = '{';
  body[body_len - 1] = '}';
  body[body_len] = '\0';

  response = request (http, "POST", "/payments/initialize", body, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NETWORK);
  g_assert_cmpint (g_atomic_int_get (&early_reset_connections), ==, 1);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_http_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttp) http = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and has no listener. */
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  http = new_http (url);
  pd_http_set_max_attempts (http, 2);
  response = request (http, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NETWORK);
  g_clear_error (&error);

  response = request (http, "POST", "/ok", "{}", PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NETWORK);
}

static void
test_http_cancelled (void)
{
  g_autoptr(PdHttp) http = new_http (server_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(PdPacer) pacer = pd_pacer_new (1, 60000);
  g_autoptr(PdHttp) paced = NULL;
  gint64 start;

  /* Cancelled while the gateway is slow. */
  cancellable = g_cancellable_new ();
  g_timeout_add (200, cancel_later, cancellable);
  start = g_get_monotonic_time ();
  response = request (http, "GET", "/slow/2000", NULL, PD_HTTP_FLAGS_NONE, cancellable, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);
  g_clear_object (&cancellable);

  /* Cancelled before it starts. */
  cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  response = request (http, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, cancellable, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&cancellable);

  /* Cancelled during the back-off between two attempts. */
  cancellable = g_cancellable_new ();
  g_timeout_add (300, cancel_later, cancellable);
  start = g_get_monotonic_time ();
  response = request (http, "GET", "/flaky/503/5", NULL, PD_HTTP_FLAGS_NONE, cancellable, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 900 * 1000);
  g_assert_cmpuint (hit_count ("/flaky/503/5"), ==, 1);
  g_clear_error (&error);
  g_clear_object (&cancellable);

  /* Cancelled while the pacer holds it back (one request a minute). */
  paced = pd_http_new (server_url, pacer, &error);
  g_assert_no_error (error);
  response = request (paced, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&response, pd_http_response_free);

  cancellable = g_cancellable_new ();
  g_timeout_add (200, cancel_later, cancellable);
  start = g_get_monotonic_time ();
  response = request (paced, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, cancellable, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (pd_pacer_get_queued (pacer), ==, 0);
}

static void
test_http_tls_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (test_cert_pem, -1, &error);
  g_autoptr(SoupServer) tls_server = NULL;
  g_autofree char *tls_url = NULL;
  g_autoptr(PdHttp) http = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  guint before;

  g_assert_no_error (error);
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  tls_server = start_server (certificate, &tls_url);
  g_assert_true (g_str_has_prefix (tls_url, "https://127.0.0.1:"));
  http = new_http (tls_url);
  before = hit_count ("/ok");

  response = request (http, "GET", "/ok", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not signed by a known authority"));
  /* Refused, not retried, and never reached the handler. */
  g_assert_cmpuint (hit_count ("/ok"), ==, before);

  soup_server_disconnect (tls_server);
}

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        data)
{
  g_string_append_printf (data, "%s\n", message);
}

static void
test_http_debug_log_redacted (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(PdHttp) http = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  guint handler;
  const char *body =
    "{\"order_id\": \"ORDER123456\", \"amount\": 100.50, \"currency\": \"USD\", "
    "\"card_number\": \"" TEST_PAN "\", \"exp_month\": \"12\", \"exp_year\": \"30\", \"cvv\": \"987\", "
    "\"metadata\": {\"note\": \"customer read 5555 5555 5555 4444 aloud\"}}";

  g_setenv ("PAYDESK_DEBUG", "ledger,http", TRUE);
  http = new_http (server_url);
  g_unsetenv ("PAYDESK_DEBUG");

  handler = g_log_set_handler ("pd-http", G_LOG_LEVEL_MESSAGE, capture_log, log);
  response = request (http, "POST", "/echo-card", body, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_log_remove_handler ("pd-http", handler);
  g_assert_no_error (error);

  /* The log is there, with what helps debugging... */
  g_assert_nonnull (strstr (log->str, "POST /echo-card"));
  g_assert_nonnull (strstr (log->str, "ORDER123456"));
  g_assert_nonnull (strstr (log->str, "X-Api-Key: [redacted]"));
  g_assert_nonnull (strstr (log->str, "X-Api-Secret: [redacted]"));
  g_assert_nonnull (strstr (log->str, "\"card_number\": \"[redacted]\""));
  g_assert_nonnull (strstr (log->str, "\"cvv\": \"[redacted]\""));
  /* ...and none of the secrets, in either direction. */
  g_assert_null (strstr (log->str, TEST_KEY));
  g_assert_null (strstr (log->str, TEST_SECRET));
  g_assert_null (strstr (log->str, TEST_PAN));
  g_assert_null (strstr (log->str, "5555 5555 5555 4444"));
  g_assert_null (strstr (log->str, "\"cvv\": \"987\""));
}

static void
test_http_redact_lines (void)
{
  static const struct {
    SoupLoggerLogLevel  level;
    const char         *in;
    const char         *out;
  } cases[] = {
    { SOUP_LOGGER_LOG_HEADERS, "X-Api-Key: pk_live_123", "X-Api-Key: [redacted]" },
    { SOUP_LOGGER_LOG_HEADERS, "x-api-secret: sk", "x-api-secret: [redacted]" },
    { SOUP_LOGGER_LOG_HEADERS, "Content-Length: 1234567890", "Content-Length: 1234567890" },
    { SOUP_LOGGER_LOG_MINIMAL, "GET /api/v1/payments/4111111111111111/status HTTP/1.1",
      "GET /api/v1/payments/[redacted]/status HTTP/1.1" },
    { SOUP_LOGGER_LOG_BODY, "{\"card_number\":\"4111111111111111\",\"cvv\":123}",
      "{\"card_number\":\"[redacted]\",\"cvv\":\"[redacted]\"}" },
    { SOUP_LOGGER_LOG_BODY, "{\"CVV\" : \"12\\\"3\"}", "{\"CVV\" : \"[redacted]\"}" },
    /* Cut short by the log's size limit, inside the value or a number. */
    { SOUP_LOGGER_LOG_BODY, "{\"card_number\":\"41111111", "{\"card_number\":\"[redacted]\"" },
    { SOUP_LOGGER_LOG_BODY, "{\"pan\":\"4111 1111 11", "{\"pan\":\"[redacted]" },
    { SOUP_LOGGER_LOG_BODY, "{\"amount\": 100.50, \"n\": 12", "{\"amount\": 100.50, \"n\": 12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = pd_http_redact_for_log (cases[i].level, cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* Against the sandbox */

/* Started on first use: its thread must not exist while the environment
 * is changed. */
static PdTestSandbox *
get_sandbox (void)
{
  if (sandbox_instance == NULL)
    sandbox_instance = pd_test_sandbox_start (FALSE, PD_SANDBOX_DEFAULT_RATE_LIMIT);
  return sandbox_instance;
}

static char *
random_reference (void)
{
  return g_uuid_string_random ();
}

static void
test_sandbox_not_found (void)
{
  PdTestSandbox *sb = get_sandbox ();
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_pesogate_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autofree char *ref = random_reference ();
  g_autofree char *path = g_strdup_printf ("/payments/%s/status", ref);

  pd_http_set_credentials (http, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  response = request (http, "GET", path, NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 404);
  g_assert_cmpstr (pd_gateway_error_get_gateway_message (error), ==, "Transaction not found");
}

static void
test_sandbox_unauthorized (void)
{
  PdTestSandbox *sb = get_sandbox ();
  g_autoptr(PdHttp) pesogate = new_http (pd_test_sandbox_pesogate_url (sb));
  g_autoptr(PdHttp) paysgator = new_http (pd_test_sandbox_paysgator_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autofree char *ref = random_reference ();
  g_autofree char *path = g_strdup_printf ("/payments/%s/status", ref);

  pd_http_set_credentials (pesogate, PD_SANDBOX_PESOGATE_API_KEY, "sk_wrong");
  response = request (pesogate, "GET", path, NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pd_gateway_error_get_http_status (error), ==, 401);
  g_clear_error (&error);

  pd_http_set_credentials (paysgator, "live_wrong_key", NULL);
  response = request (paysgator, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "UNAUTHORIZED");
}

static void
test_sandbox_wallet (void)
{
  PdTestSandbox *sb = get_sandbox ();
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_paysgator_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;

  pd_http_set_credentials (http, PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);
  response = request (http, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (pd_http_response_get_object (response));
}

static guint
count_requests (JsonArray  *requests,
                const char *method,
                guint       status)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (entry, "method"), method) &&
          (status == 0 || (guint) json_object_get_int_member (entry, "status") == status))
        n++;
    }
  return n;
}

static const char initialize_body[] =
  "{\"order_id\": \"%s\", \"amount\": 25.00, \"currency\": \"USD\", \"payment_provider\": \"cybersource\", "
  "\"card_number\": \"" TEST_PAN "\", \"exp_month\": \"12\", \"exp_year\": \"2030\", \"cvv\": \"123\", "
  "\"return_url\": \"https://shop.example/ok\", \"cancel_url\": \"https://shop.example/cancel\"}";

static void
test_sandbox_post_sent_once (void)
{
  PdTestSandbox *sb = get_sandbox ();
  const char *api_path = PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH "/payments/initialize";
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_pesogate_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *order_id = g_strdup_printf ("T-%08x", g_random_int ());
  g_autofree char *body = g_strdup_printf (initialize_body, order_id);

  pd_http_set_credentials (http, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  pd_test_sandbox_clear_requests (sb);
  /* The gateway takes the payment, then the connection is reset. */
  pd_test_sandbox_fault (sb, api_path, "reset", 1, 0, TRUE);

  response = request (http, "POST", "/payments/initialize", body, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN);

  requests = pd_test_sandbox_requests (sb, api_path);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  g_assert_cmpuint (count_requests (requests, "POST", 0), ==, 1);
}

static void
test_sandbox_get_retried (void)
{
  PdTestSandbox *sb = get_sandbox ();
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_pesogate_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *ref = random_reference ();
  g_autofree char *path = g_strdup_printf ("/payments/%s/status", ref);
  g_autofree char *full = g_strconcat (PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH, path, NULL);

  pd_http_set_credentials (http, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  pd_test_sandbox_fault (sb, full, "http_503", 1, 0, FALSE);
  pd_test_sandbox_fault (sb, full, "reset", 1, 0, FALSE);

  /* 503, then a reset, then the real answer. */
  response = request (http, "GET", path, NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_error (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);

  requests = pd_test_sandbox_requests (sb, full);
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  g_assert_cmpuint (count_requests (requests, "GET", 503), ==, 1);
  g_assert_cmpuint (count_requests (requests, "GET", 404), ==, 1);
}

static void
test_sandbox_faults (void)
{
  PdTestSandbox *sb = get_sandbox ();
  static const struct {
    const char     *kind;
    guint           param;
    PdGatewayError  code;
  } cases[] = {
    { "http_500", 0, PD_GATEWAY_ERROR_SERVER },
    { "http_502", 0, PD_GATEWAY_ERROR_SERVER },
    { "malformed", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "truncated", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "huge", 0, PD_GATEWAY_ERROR_BAD_RESPONSE },
    { "reset", 0, PD_GATEWAY_ERROR_NETWORK },
    { "delay", 2500, PD_GATEWAY_ERROR_TIMEOUT },
  };
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_paysgator_url (sb));
  const char *full = PD_SANDBOX_PAYSGATOR_PREFIX PD_SANDBOX_API_PATH "/wallet/balance";

  pd_http_set_credentials (http, PD_SANDBOX_PAYSGATOR_LIVE_KEY, NULL);
  pd_http_set_max_attempts (http, 1);
  pd_http_set_timeout (http, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PdHttpResponse) response = NULL;

      pd_test_sandbox_fault (sb, full, cases[i].kind, 1, cases[i].param, FALSE);
      response = request (http, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
      if (!g_error_matches (error, PD_GATEWAY_ERROR, (gint) cases[i].code))
        g_error ("fault %s: expected %d, got %s", cases[i].kind, cases[i].code,
                 error ? error->message : "success");
      if (g_str_equal (cases[i].kind, "http_500"))
        g_assert_cmpstr (pd_gateway_error_get_gateway_code (error), ==, "INTERNAL_ERROR");
    }

  /* The fault is gone: the real answer. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PdHttpResponse) response = request (http, "GET", "/wallet/balance", NULL,
                                                  PD_HTTP_FLAGS_NONE, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
test_sandbox_rate_limit_fault (void)
{
  PdTestSandbox *sb = get_sandbox ();
  g_autoptr(PdHttp) http = new_http (pd_test_sandbox_paysgator_url (sb));
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *full = PD_SANDBOX_PAYSGATOR_PREFIX PD_SANDBOX_API_PATH "/wallet/balance";
  gint64 start = g_get_monotonic_time ();

  pd_http_set_credentials (http, PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);
  g_signal_connect (pd_http_get_pacer (http), "notify::waiting-until", G_CALLBACK (on_waiting_until), waits);
  pd_test_sandbox_clear_requests (sb);
  pd_test_sandbox_fault (sb, full, "rate_limit", 1, 1, FALSE);

  response = request (http, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->attempts, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (waits->len, ==, 2);

  requests = pd_test_sandbox_requests (sb, full);
  g_assert_cmpuint (json_array_get_length (requests), ==, 2);
  g_assert_cmpuint (count_requests (requests, "GET", 429), ==, 1);
  g_assert_cmpuint (count_requests (requests, "GET", 200), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server = start_server (NULL, &server_url);

  g_test_add_func ("/pd/error/messages", test_error_messages);
  g_test_add_func ("/pd/error/foreign-errors", test_error_foreign);
  g_test_add_func ("/pd/error/pesogate-bodies", test_error_pesogate_bodies);
  g_test_add_func ("/pd/error/validation-fields", test_error_validation_fields);
  g_test_add_func ("/pd/error/paysgator-codes", test_error_paysgator_codes);
  g_test_add_func ("/pd/error/odd-bodies", test_error_odd_bodies);
  g_test_add_func ("/pd/error/rate-limited", test_error_rate_limited);
  g_test_add_func ("/pd/error/no-card-numbers", test_error_no_card_numbers);
  g_test_add_func ("/pd/error/tls-message", test_error_tls_message);

  /* First: it sets PAYDESK_DEBUG, which is only safe before any thread runs. */
  g_test_add_func ("/pd/http/debug-log-redacted", test_http_debug_log_redacted);
  g_test_add_func ("/pd/http/base-url", test_http_base_url);
  g_test_add_func ("/pd/http/ok-and-headers", test_http_ok_and_headers);
  g_test_add_func ("/pd/http/gateway-errors", test_http_gateway_errors);
  g_test_add_func ("/pd/http/html-pages", test_http_html_pages);
  g_test_add_func ("/pd/http/bad-json", test_http_bad_json);
  g_test_add_func ("/pd/http/truncated", test_http_truncated);
  g_test_add_func ("/pd/http/too-large", test_http_too_large);
  g_test_add_func ("/pd/http/retries", test_http_retries);
  g_test_add_func ("/pd/http/rate-limited", test_http_rate_limited);
  g_test_add_func ("/pd/http/timeout", test_http_timeout);
  g_test_add_func ("/pd/http/reset-after-sent", test_http_reset);
  g_test_add_func ("/pd/http/reset-before-sent", test_http_reset_before_sent);
  g_test_add_func ("/pd/http/connection-refused", test_http_refused);
  g_test_add_func ("/pd/http/cancelled", test_http_cancelled);
  g_test_add_func ("/pd/http/tls-refused", test_http_tls_refused);
  g_test_add_func ("/pd/http/redact-lines", test_http_redact_lines);

  g_test_add_func ("/pd/http/sandbox/not-found", test_sandbox_not_found);
  g_test_add_func ("/pd/http/sandbox/unauthorized", test_sandbox_unauthorized);
  g_test_add_func ("/pd/http/sandbox/wallet", test_sandbox_wallet);
  g_test_add_func ("/pd/http/sandbox/post-sent-once", test_sandbox_post_sent_once);
  g_test_add_func ("/pd/http/sandbox/get-retried", test_sandbox_get_retried);
  g_test_add_func ("/pd/http/sandbox/faults", test_sandbox_faults);
  g_test_add_func ("/pd/http/sandbox/rate-limit-fault", test_sandbox_rate_limit_fault);

  ret = g_test_run ();

  pd_test_sandbox_stop (sandbox_instance);
  soup_server_disconnect (server);
  g_clear_object (&server);
  g_clear_pointer (&last_request_headers, soup_message_headers_unref);
  g_hash_table_unref (hits);
  g_free (server_url);
  return ret;
}
