#define G_LOG_DOMAIN "pd-test-sandbox"

#include "config.h"

#include <string.h>

#include "pd-test-sandbox.h"

struct _PdTestSandbox
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  PdSandbox    *sandbox;
  gboolean      demo;
  guint         rate_limit;
  char         *origin;
  char         *pesogate_url;
  char         *paysgator_url;
  GStrv         plan_ids;
  SoupSession  *session;
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
};

static gpointer
sandbox_thread (gpointer data)
{
  PdTestSandbox *sb = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (sb->context);

  sb->sandbox = pd_sandbox_new (sb->demo);
  pd_sandbox_set_rate_limit (sb->sandbox, sb->rate_limit);
  if (!pd_sandbox_listen (sb->sandbox, 0, &error))
    g_error ("sandbox did not start: %s", error->message);

  sb->origin = pd_sandbox_dup_origin (sb->sandbox);
  sb->pesogate_url = pd_sandbox_dup_pesogate_url (sb->sandbox);
  sb->paysgator_url = pd_sandbox_dup_paysgator_url (sb->sandbox);
  sb->plan_ids = pd_sandbox_dup_plan_ids (sb->sandbox);

  g_mutex_lock (&sb->mutex);
  sb->ready = TRUE;
  g_cond_signal (&sb->cond);
  g_mutex_unlock (&sb->mutex);

  g_main_loop_run (sb->loop);

  pd_sandbox_disconnect (sb->sandbox);
  g_clear_object (&sb->sandbox);
  /* Let the server's sources finish on their own context. */
  while (g_main_context_iteration (sb->context, FALSE))
    ;
  g_main_context_pop_thread_default (sb->context);
  return NULL;
}

PdTestSandbox *
pd_test_sandbox_start (gboolean demo,
                       guint    rate_limit)
{
  PdTestSandbox *sb = g_new0 (PdTestSandbox, 1);

  sb->demo = demo;
  sb->rate_limit = rate_limit;
  sb->context = g_main_context_new ();
  sb->loop = g_main_loop_new (sb->context, FALSE);
  g_mutex_init (&sb->mutex);
  g_cond_init (&sb->cond);

  sb->thread = g_thread_new ("sandbox", sandbox_thread, sb);

  g_mutex_lock (&sb->mutex);
  while (!sb->ready)
    g_cond_wait (&sb->cond, &sb->mutex);
  g_mutex_unlock (&sb->mutex);

  sb->session = soup_session_new_with_options ("timeout", 30, NULL);
  return sb;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
pd_test_sandbox_stop (PdTestSandbox *sb)
{
  if (sb == NULL)
    return;

  g_clear_object (&sb->session);
  g_main_context_invoke (sb->context, quit_loop, sb->loop);
  g_thread_join (sb->thread);
  g_main_loop_unref (sb->loop);
  g_main_context_unref (sb->context);
  g_mutex_clear (&sb->mutex);
  g_cond_clear (&sb->cond);
  g_free (sb->origin);
  g_free (sb->pesogate_url);
  g_free (sb->paysgator_url);
  g_strfreev (sb->plan_ids);
  g_free (sb);
}

const char *
pd_test_sandbox_origin (PdTestSandbox *sb)
{
  return sb->origin;
}

const char *
pd_test_sandbox_pesogate_url (PdTestSandbox *sb)
{
  return sb->pesogate_url;
}

const char *
pd_test_sandbox_paysgator_url (PdTestSandbox *sb)
{
  return sb->paysgator_url;
}

GStrv
pd_test_sandbox_plan_ids (PdTestSandbox *sb)
{
  return sb->plan_ids;
}

PdTestResponse *
pd_test_http (PdTestSandbox      *sb,
              const char         *method,
              const char         *url,
              const char         *content_type,
              const char         *body,
              const char * const *headers)
{
  PdTestResponse *resp = g_new0 (PdTestResponse, 1);
  g_autofree char *full_url = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))
    full_url = g_strdup (url);
  else
    full_url = g_strconcat (sb->origin, url, NULL);

  msg = soup_message_new (method, full_url);
  g_assert_nonnull (msg);

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", bytes);
    }

  {
    g_autoptr(GBytes) raw = soup_session_send_and_read (sb->session, msg, NULL, &resp->error);
    gsize len;
    const char *data;

    if (resp->error != NULL)
      return resp;
    /* Keep a NUL past the end so the body can be read as text. */
    data = g_bytes_get_data (raw, &len);
    resp->body = g_bytes_new_take (g_strndup (data, len), len);
  }

  resp->status = soup_message_get_status (msg);
  resp->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize len;
    const char *data = g_bytes_get_data (resp->body, &len);

    if (len > 0 && json_parser_load_from_data (parser, data, (gssize) len, NULL))
      resp->json = json_node_copy (json_parser_get_root (parser));
  }

  return resp;
}

PdTestResponse *
pd_test_pesogate (PdTestSandbox *sb,
                  const char    *method,
                  const char    *api_path,
                  const char    *json_body)
{
  const char *headers[] = {
    "X-Api-Key", PD_SANDBOX_PESOGATE_API_KEY,
    "X-Api-Secret", PD_SANDBOX_PESOGATE_API_SECRET,
    "Accept", "application/json",
    NULL,
  };
  g_autofree char *url = g_strconcat (sb->pesogate_url, api_path, NULL);

  return pd_test_http (sb, method, url, NULL, json_body, headers);
}

PdTestResponse *
pd_test_paysgator (PdTestSandbox *sb,
                   const char    *key,
                   const char    *method,
                   const char    *api_path,
                   const char    *json_body)
{
  const char *headers[] = {
    "X-Api-Key", key,
    "Accept", "application/json",
    NULL,
  };
  g_autofree char *url = g_strconcat (sb->paysgator_url, api_path, NULL);

  return pd_test_http (sb, method, url, NULL, json_body, headers);
}

void
pd_test_response_free (PdTestResponse *resp)
{
  if (resp == NULL)
    return;
  g_clear_error (&resp->error);
  g_clear_pointer (&resp->headers, soup_message_headers_unref);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_clear_pointer (&resp->json, json_node_unref);
  g_free (resp);
}

JsonObject *
pd_test_response_object (PdTestResponse *resp)
{
  g_assert_no_error (resp->error);
  if (resp->json == NULL || !JSON_NODE_HOLDS_OBJECT (resp->json))
    g_error ("expected a JSON object, got: %.200s", pd_test_response_text (resp));
  return json_node_get_object (resp->json);
}

const char *
pd_test_response_text (PdTestResponse *resp)
{
  if (resp->body == NULL)
    return "";
  return g_bytes_get_size (resp->body) > 0 ? g_bytes_get_data (resp->body, NULL) : "";
}

void
pd_test_sandbox_fault (PdTestSandbox *sb,
                       const char    *path_prefix,
                       const char    *kind,
                       guint          count,
                       guint          param,
                       gboolean       after_processing)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PdTestResponse) resp = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path_prefix);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, count);
  json_builder_set_member_name (b, g_str_equal (kind, "rate_limit") ? "retry_after" : "delay_ms");
  json_builder_add_int_value (b, param);
  json_builder_set_member_name (b, "after_processing");
  json_builder_add_boolean_value (b, after_processing);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  resp = pd_test_http (sb, "POST", "/_sandbox/faults", NULL, body, NULL);
  g_assert_no_error (resp->error);
  g_assert_cmpuint (resp->status, ==, 201);
}

JsonArray *
pd_test_sandbox_requests (PdTestSandbox *sb,
                          const char    *path_prefix)
{
  g_autofree char *url = NULL;
  g_autoptr(PdTestResponse) resp = NULL;
  JsonObject *obj;

  if (path_prefix != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (path_prefix, NULL, FALSE);
      url = g_strconcat ("/_sandbox/requests?path=", escaped, NULL);
    }
  else
    url = g_strdup ("/_sandbox/requests");

  resp = pd_test_http (sb, "GET", url, NULL, NULL, NULL);
  g_assert_cmpuint (resp->status, ==, 200);
  obj = pd_test_response_object (resp);
  return json_array_ref (json_object_get_array_member (obj, "requests"));
}

void
pd_test_sandbox_clear_requests (PdTestSandbox *sb)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sb, "DELETE", "/_sandbox/requests", NULL, NULL, NULL);

  g_assert_cmpuint (resp->status, ==, 204);
}

void
pd_test_sandbox_advance_clock (PdTestSandbox *sb,
                               gint64         seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"advance_seconds\": %" G_GINT64_FORMAT "}", seconds);
  g_autoptr(PdTestResponse) resp = pd_test_http (sb, "POST", "/_sandbox/clock", NULL, body, NULL);

  g_assert_cmpuint (resp->status, ==, 200);
}
