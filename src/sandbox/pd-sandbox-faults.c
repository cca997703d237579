/* pd-sandbox-faults.c
 *
 * What a real network and a real gateway do on a bad day, on demand: error
 * pages, broken and endless bodies, slow answers and reset connections. The
 * truncated and reset kinds take the connection away from libsoup and write
 * (or refuse to write) the bytes themselves.
 */
#define G_LOG_DOMAIN "pd-sandbox-faults"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "pd-sandbox-faults.h"
#include "pd-sandbox-private.h"

#define HUGE_BODY_SIZE (10 * 1024 * 1024)

struct _PdSandboxFaults
{
  GObject    parent_instance;
  GPtrArray *faults;   /* PdSandboxFault, in the order they were added */
};

G_DEFINE_FINAL_TYPE (PdSandboxFaults, pd_sandbox_faults, G_TYPE_OBJECT)

static const struct
{
  const char         *name;
  PdSandboxFaultKind  kind;
} kinds[] = {
  { "http_500", PD_SANDBOX_FAULT_HTTP_500 },
  { "http_502", PD_SANDBOX_FAULT_HTTP_502 },
  { "http_503", PD_SANDBOX_FAULT_HTTP_503 },
  { "malformed", PD_SANDBOX_FAULT_MALFORMED },
  { "truncated", PD_SANDBOX_FAULT_TRUNCATED },
  { "huge", PD_SANDBOX_FAULT_HUGE },
  { "delay", PD_SANDBOX_FAULT_DELAY },
  { "reset", PD_SANDBOX_FAULT_RESET },
  { "rate_limit", PD_SANDBOX_FAULT_RATE_LIMIT },
};

void
pd_sandbox_fault_free (PdSandboxFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->path_prefix);
  g_free (fault);
}

static void
pd_sandbox_faults_finalize (GObject *object)
{
  PdSandboxFaults *self = PD_SANDBOX_FAULTS (object);

  g_clear_pointer (&self->faults, g_ptr_array_unref);

  G_OBJECT_CLASS (pd_sandbox_faults_parent_class)->finalize (object);
}

static void
pd_sandbox_faults_class_init (PdSandboxFaultsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_sandbox_faults_finalize;
}

static void
pd_sandbox_faults_init (PdSandboxFaults *self)
{
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_sandbox_fault_free);
}

PdSandboxFaults *
pd_sandbox_faults_new (void)
{
  return g_object_new (PD_TYPE_SANDBOX_FAULTS, NULL);
}

static guint
member_uint (JsonObject *spec,
             const char *name,
             guint       fallback)
{
  JsonNode *node = json_object_get_member (spec, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return (guint) CLAMP (json_node_get_int (node), 0, G_MAXINT);
}

gboolean
pd_sandbox_faults_add_json (PdSandboxFaults  *self,
                            JsonObject       *spec,
                            GError          **error)
{
  const char *kind_name = json_object_get_string_member_with_default (spec, "kind", NULL);
  const char *path = json_object_get_string_member_with_default (spec, "path", "/");
  g_autoptr(PdSandboxFault) fault = g_new0 (PdSandboxFault, 1);
  gboolean known = FALSE;

  for (guint i = 0; kind_name != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind_name, kinds[i].name))
      {
        fault->kind = kinds[i].kind;
        known = TRUE;
      }

  if (!known)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown fault kind “%s”", kind_name ? kind_name : "(none)");
      return FALSE;
    }

  fault->path_prefix = g_strdup (path);
  fault->remaining = member_uint (spec, "count", 1);
  fault->delay_ms = member_uint (spec, "delay_ms", 1000);
  fault->retry_after = member_uint (spec, "retry_after", 1);
  fault->after_processing = json_object_get_boolean_member_with_default (spec, "after_processing", FALSE);

  if (fault->remaining > 0)
    g_ptr_array_add (self->faults, g_steal_pointer (&fault));
  return TRUE;
}

void
pd_sandbox_faults_clear (PdSandboxFaults *self)
{
  g_ptr_array_set_size (self->faults, 0);
}

PdSandboxFault *
pd_sandbox_faults_take (PdSandboxFaults *self,
                        const char      *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      PdSandboxFault *fault = g_ptr_array_index (self->faults, i);
      PdSandboxFault *copy;

      if (!g_str_has_prefix (path, fault->path_prefix))
        continue;

      copy = g_memdup2 (fault, sizeof *fault);
      copy->path_prefix = g_strdup (fault->path_prefix);
      if (--fault->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      return copy;
    }

  return NULL;
}

static void
reply_server_error (SoupServerMessage *msg,
                    gboolean           paysgator)
{
  if (paysgator)
    pd_sandbox_reply_paysgator_error (msg, 500, "INTERNAL_ERROR", "Internal server error");
  else
    pd_sandbox_reply_pesogate_error (msg, 500, "Server Error", NULL);
}

static void
reply_proxy_page (SoupServerMessage *msg,
                  guint              status)
{
  g_autofree char *html = g_strdup_printf (
    "<!DOCTYPE html><html><head><title>%u %s</title></head>"
    "<body><h1>%u %s</h1><hr><center>nginx</center></body></html>\n",
    status, soup_status_get_phrase (status), status, soup_status_get_phrase (status));

  pd_sandbox_reply_html (msg, status, html);
}

static void
reply_huge (SoupServerMessage *msg)
{
  static const char head[] = "{\"success\":true,\"padding\":\"";
  static const char tail[] = "\"}";
  gsize len = HUGE_BODY_SIZE;
  char *body = g_malloc (len);

  memcpy (body, head, sizeof head - 1);
  memset (body + sizeof head - 1, 'x', len - (sizeof head - 1) - (sizeof tail - 1));
  memcpy (body + len - (sizeof tail - 1), tail, sizeof tail - 1);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, len);
}

/* Takes the connection from libsoup: what follows is written by hand. */
static GIOStream *
steal_connection (SoupServerMessage *msg)
{
  return soup_server_message_steal_connection (msg);
}

static void
reply_truncated (SoupServerMessage *msg)
{
  static const char raw[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 512\r\n"
    "Connection: close\r\n"
    "\r\n"
    "{\"success\": true, \"message\": \"Transaction status retrieved\", \"data\": {\"status\": \"comp";
  g_autoptr(GIOStream) stream = steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  /* A few hundred bytes on loopback: the write cannot block for long. */
  g_output_stream_write_all (out, raw, sizeof raw - 1, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
reply_reset (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  /* A zero linger time turns close() into a TCP reset. */
  if (socket != NULL)
    {
      struct linger lg = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }

  stream = steal_connection (msg);
  g_io_stream_close (stream, NULL, NULL);
}

static void
reply_rate_limited (SoupServerMessage *msg,
                    guint              retry_after,
                    gboolean           paysgator)
{
  g_autofree char *value = g_strdup_printf ("%u", retry_after);

  if (paysgator)
    pd_sandbox_reply_paysgator_error (msg, 429, "RATE_LIMITED", "Too many requests");
  else
    pd_sandbox_reply_pesogate_error (msg, 429, "Too Many Attempts.", NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
}

void
pd_sandbox_fault_apply (const PdSandboxFault *fault,
                        SoupServerMessage    *msg,
                        gboolean              paysgator)
{
  switch (fault->kind)
    {
    case PD_SANDBOX_FAULT_HTTP_500:
      reply_server_error (msg, paysgator);
      break;
    case PD_SANDBOX_FAULT_HTTP_502:
      reply_proxy_page (msg, 502);
      break;
    case PD_SANDBOX_FAULT_HTTP_503:
      reply_proxy_page (msg, 503);
      break;
    case PD_SANDBOX_FAULT_MALFORMED:
      {
        static const char broken[] = "{\"success\": true,, \"message\": }";

        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          broken, sizeof broken - 1);
      }
      break;
    case PD_SANDBOX_FAULT_TRUNCATED:
      reply_truncated (msg);
      break;
    case PD_SANDBOX_FAULT_HUGE:
      reply_huge (msg);
      break;
    case PD_SANDBOX_FAULT_RESET:
      reply_reset (msg);
      break;
    case PD_SANDBOX_FAULT_RATE_LIMIT:
      reply_rate_limited (msg, fault->retry_after, paysgator);
      break;
    case PD_SANDBOX_FAULT_DELAY:
    default:
      g_assert_not_reached ();
    }
}
