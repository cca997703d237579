/* pd-sandbox.c
 *
 * The sandbox's server: one SoupServer on loopback that hands /pesogate/… and
 * /paysgator/… to the two simulated gateways, and around them does what a
 * gateway's edge does: the per-key rate limit, a request log, and the faults
 * tests ask for. A small control API under /_sandbox/ steers it.
 */
#define G_LOG_DOMAIN "pd-sandbox"

#include "config.h"

#include <string.h>

#include "pd-sandbox-faults.h"
#include "pd-sandbox-paysgator.h"
#include "pd-sandbox-pesogate.h"
#include "pd-sandbox-private.h"

#define RATE_WINDOW_US (60 * G_USEC_PER_SEC)
#define MAX_LOGGED_REQUESTS 20000

struct _PdSandbox
{
  GObject             parent_instance;

  SoupServer         *server;
  guint               port;
  gboolean            demo;
  guint               rate_limit;
  gint64              clock_offset;

  PdSandboxPesogate  *pesogate;
  PdSandboxPaysgator *paysgator;
  PdSandboxFaults    *faults;

  GHashTable         *rate_windows;  /* API key → GQueue of monotonic send times */
  GQueue              requests;      /* JsonObject, oldest first */
};

G_DEFINE_FINAL_TYPE (PdSandbox, pd_sandbox, G_TYPE_OBJECT)

static void
free_window (gpointer data)
{
  g_queue_free_full (data, g_free);
}

static void
pd_sandbox_dispose (GObject *object)
{
  PdSandbox *self = PD_SANDBOX (object);

  pd_sandbox_disconnect (self);
  g_clear_object (&self->server);
  g_clear_object (&self->pesogate);
  g_clear_object (&self->paysgator);
  g_clear_object (&self->faults);

  G_OBJECT_CLASS (pd_sandbox_parent_class)->dispose (object);
}

static void
pd_sandbox_finalize (GObject *object)
{
  PdSandbox *self = PD_SANDBOX (object);

  g_clear_pointer (&self->rate_windows, g_hash_table_unref);
  g_queue_clear_full (&self->requests, (GDestroyNotify) json_object_unref);

  G_OBJECT_CLASS (pd_sandbox_parent_class)->finalize (object);
}

static void
pd_sandbox_class_init (PdSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_sandbox_dispose;
  object_class->finalize = pd_sandbox_finalize;
}

static void
pd_sandbox_init (PdSandbox *self)
{
  self->rate_limit = PD_SANDBOX_DEFAULT_RATE_LIMIT;
  self->rate_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_window);
  g_queue_init (&self->requests);
}

PdSandbox *
pd_sandbox_new (gboolean demo)
{
  PdSandbox *self = g_object_new (PD_TYPE_SANDBOX, NULL);

  self->demo = demo;
  self->faults = pd_sandbox_faults_new ();
  self->pesogate = pd_sandbox_pesogate_new (self);
  self->paysgator = pd_sandbox_paysgator_new (self);

  if (demo)
    {
      pd_sandbox_pesogate_seed_demo (self->pesogate);
      pd_sandbox_paysgator_seed_demo (self->paysgator);
    }

  return self;
}

/**
 * pd_sandbox_set_rate_limit:
 * @requests_per_minute: per API key, in any rolling 60 s; 0 turns it off
 */
void
pd_sandbox_set_rate_limit (PdSandbox *self,
                           guint      requests_per_minute)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->rate_limit = requests_per_minute;
}

gint64
pd_sandbox_now (PdSandbox *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

void
pd_sandbox_advance_clock (PdSandbox *self,
                          gint64     seconds)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  self->clock_offset += seconds;
}

guint
pd_sandbox_get_port (PdSandbox *self)
{
  return self->port;
}

char *
pd_sandbox_dup_origin (PdSandbox *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

char *
pd_sandbox_dup_pesogate_url (PdSandbox *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u" PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH, self->port);
}

char *
pd_sandbox_dup_paysgator_url (PdSandbox *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u" PD_SANDBOX_PAYSGATOR_PREFIX PD_SANDBOX_API_PATH, self->port);
}

GStrv
pd_sandbox_dup_plan_ids (PdSandbox *self)
{
  return pd_sandbox_paysgator_dup_plan_ids (self->paysgator);
}

/* Request log */

static gboolean
is_secret_header (const char *name)
{
  return g_ascii_strcasecmp (name, "X-Api-Key") == 0 ||
         g_ascii_strcasecmp (name, "X-Api-Secret") == 0 ||
         g_ascii_strcasecmp (name, "Authorization") == 0 ||
         g_ascii_strcasecmp (name, "Cookie") == 0;
}

static JsonObject *
log_request (PdSandbox         *self,
             SoupServerMessage *msg,
             const char        *path)
{
  JsonObject *entry = json_object_new ();
  JsonObject *headers = json_object_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  json_object_set_string_member (entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (entry, "path", path);
  json_object_set_string_member (entry, "query", g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  {
    g_autofree char *time = g_date_time_format_iso8601 (now);

    json_object_set_string_member (entry, "time", time);
  }
  json_object_set_int_member (entry, "status", 0);

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    json_object_set_string_member (headers, name, is_secret_header (name) ? "[redacted]" : value);
  json_object_set_object_member (entry, "headers", headers);

  g_queue_push_tail (&self->requests, json_object_ref (entry));
  while (self->requests.length > MAX_LOGGED_REQUESTS)
    json_object_unref (g_queue_pop_head (&self->requests));

  return entry;
}

static void
on_message_finished (SoupServerMessage *msg,
                     JsonObject        *entry)
{
  json_object_set_int_member (entry, "status", soup_server_message_get_status (msg));
}

/* Rate limit: a rolling window of send times per key. Returns 0 when the
 * request may go on, else the seconds until a place frees up. */
static guint
rate_limit_check (PdSandbox  *self,
                  const char *key)
{
  GQueue *window;
  gint64 now = g_get_monotonic_time ();

  if (self->rate_limit == 0)
    return 0;

  window = g_hash_table_lookup (self->rate_windows, key);
  if (window == NULL)
    {
      window = g_queue_new ();
      g_hash_table_insert (self->rate_windows, g_strdup (key), window);
    }

  while (!g_queue_is_empty (window) && now - *(gint64 *) g_queue_peek_head (window) >= RATE_WINDOW_US)
    g_free (g_queue_pop_head (window));

  if (window->length >= self->rate_limit)
    {
      gint64 oldest = *(gint64 *) g_queue_peek_head (window);
      gint64 wait_us = oldest + RATE_WINDOW_US - now;

      return (guint) MAX (1, (wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }

  g_queue_push_tail (window, g_memdup2 (&now, sizeof now));
  return 0;
}

static void
reply_rate_limited (SoupServerMessage *msg,
                    gboolean           paysgator,
                    guint              retry_after)
{
  PdSandboxFault fault = { .kind = PD_SANDBOX_FAULT_RATE_LIMIT, .retry_after = retry_after };

  pd_sandbox_fault_apply (&fault, msg, paysgator);
}

/* Dispatch */

static void
dispatch (PdSandbox         *self,
          SoupServerMessage *msg,
          const char        *path)
{
  gboolean paysgator = g_str_has_prefix (path, PD_SANDBOX_PAYSGATOR_PREFIX "/");
  gboolean pesogate = g_str_has_prefix (path, PD_SANDBOX_PESOGATE_PREFIX "/");
  const char *rest;

  if (!paysgator && !pesogate)
    {
      pd_sandbox_reply_html (msg, 404, "<!DOCTYPE html><title>Not found</title><h1>Not found</h1>");
      return;
    }

  rest = path + strlen (paysgator ? PD_SANDBOX_PAYSGATOR_PREFIX : PD_SANDBOX_PESOGATE_PREFIX);

  if (g_str_has_prefix (rest, PD_SANDBOX_API_PATH "/"))
    {
      const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Api-Key");
      guint wait;

      if (key != NULL && (wait = rate_limit_check (self, key)) > 0)
        {
          reply_rate_limited (msg, paysgator, wait);
          return;
        }
    }

  if (paysgator)
    pd_sandbox_paysgator_handle (self->paysgator, msg, rest);
  else
    pd_sandbox_pesogate_handle (self->pesogate, msg, rest);
}

typedef struct
{
  PdSandbox         *self;
  SoupServerMessage *msg;
  char              *path;
  PdSandboxFault    *fault;
  gboolean           finished;
} Delayed;

static void
delayed_free (Delayed *d)
{
  g_object_unref (d->self);
  g_object_unref (d->msg);
  g_free (d->path);
  pd_sandbox_fault_free (d->fault);
  g_free (d);
}

static void
on_delayed_finished (SoupServerMessage *msg,
                     Delayed           *d)
{
  d->finished = TRUE;
}

/* The gateway still handles a request whose client gave up waiting: that is
 * exactly how an answer gets lost after the money moved. */
static gboolean
on_delay_elapsed (gpointer data)
{
  Delayed *d = data;

  g_signal_handlers_disconnect_by_func (d->msg, on_delayed_finished, d);
  dispatch (d->self, d->msg, d->path);
  if (!d->finished)
    soup_server_message_unpause (d->msg);
  delayed_free (d);
  return G_SOURCE_REMOVE;
}

/* Control API */

static void
reply_text_json (SoupServerMessage *msg,
                 guint              status,
                 JsonNode          *node)
{
  char *text = pd_sandbox_json_to_string (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
reply_control_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *message)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_string_member (obj, "error", message);
  json_node_set_object (node, obj);
  reply_text_json (msg, status, node);
}

static JsonNode *
describe (PdSandbox *self,
          gboolean   with_demo)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *pesogate_url = pd_sandbox_dup_pesogate_url (self);
  g_autofree char *paysgator_url = pd_sandbox_dup_paysgator_url (self);
  g_auto(GStrv) plans = pd_sandbox_dup_plan_ids (self);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pesogate");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "base_url");
  json_builder_add_string_value (b, pesogate_url);
  json_builder_set_member_name (b, "api_key");
  json_builder_add_string_value (b, PD_SANDBOX_PESOGATE_API_KEY);
  json_builder_set_member_name (b, "api_secret");
  json_builder_add_string_value (b, PD_SANDBOX_PESOGATE_API_SECRET);
  if (with_demo)
    {
      g_auto(GStrv) refs = pd_sandbox_pesogate_dup_references (self->pesogate);

      json_builder_set_member_name (b, "references");
      json_builder_begin_array (b);
      for (guint i = 0; refs != NULL && refs[i] != NULL; i++)
        json_builder_add_string_value (b, refs[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "paysgator");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "base_url");
  json_builder_add_string_value (b, paysgator_url);
  json_builder_set_member_name (b, "live_key");
  json_builder_add_string_value (b, PD_SANDBOX_PAYSGATOR_LIVE_KEY);
  json_builder_set_member_name (b, "test_key");
  json_builder_add_string_value (b, PD_SANDBOX_PAYSGATOR_TEST_KEY);
  json_builder_set_member_name (b, "plans");
  json_builder_begin_array (b);
  for (guint i = 0; plans != NULL && plans[i] != NULL; i++)
    json_builder_add_string_value (b, plans[i]);
  json_builder_end_array (b);
  if (with_demo)
    {
      static const char *members[][2] = {
        { "live_transactions", "test_transactions" },
        { "live_subscriptions", "test_subscriptions" },
      };

      for (guint kind = 0; kind < 2; kind++)
        for (guint live = 0; live < 2; live++)
          {
            g_auto(GStrv) ids = kind == 0
              ? pd_sandbox_paysgator_dup_transaction_ids (self->paysgator, live == 0)
              : pd_sandbox_paysgator_dup_subscription_ids (self->paysgator, live == 0);

            json_builder_set_member_name (b, members[kind][live]);
            json_builder_begin_array (b);
            for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
              json_builder_add_string_value (b, ids[i]);
            json_builder_end_array (b);
          }
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

char *
pd_sandbox_describe_json (PdSandbox *self)
{
  g_autoptr(JsonNode) node = describe (self, FALSE);

  return pd_sandbox_json_to_string (node);
}

char *
pd_sandbox_describe_text (PdSandbox *self)
{
  g_autofree char *pesogate_url = pd_sandbox_dup_pesogate_url (self);
  g_autofree char *paysgator_url = pd_sandbox_dup_paysgator_url (self);
  g_auto(GStrv) plans = pd_sandbox_dup_plan_ids (self);
  g_autofree char *plan_list = g_strjoinv ("\n    ", plans);

  return g_strdup_printf (
    "Paydesk sandbox: both gateway APIs on loopback. No real money moves.\n"
    "\n"
    "PesoGate (cards, 3-D Secure, refunds)\n"
    "  base URL     %s\n"
    "  X-Api-Key    %s\n"
    "  X-Api-Secret %s\n"
    "  test cards (any future expiry; CVV 3 digits, 4 for Amex; 3-D Secure code 1234):\n"
    "    cybersource  success 4111 1111 1111 1111, 5555 5555 5555 4444, 3782 822463 10005\n"
    "                 decline 4111 1111 1111 1112\n"
    "    mpgs         success 4242 4242 4242 4242, 5123 4500 0000 0008, 3400 0000 0000 009\n"
    "                 decline 4000 0000 0000 0002\n"
    "\n"
    "PaysGator (payment links, wallet, subscriptions; fee 2.5%%)\n"
    "  base URL     %s\n"
    "  LIVE key     %s\n"
    "  TEST key     %s\n"
    "  M-Pesa phone 841234567 pays; a number ending in 0000 fails\n"
    "  plan ids\n"
    "    %s\n"
    "\n"
    "Rate limit: %u requests per minute per key%s.\n",
    pesogate_url, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET,
    paysgator_url, PD_SANDBOX_PAYSGATOR_LIVE_KEY, PD_SANDBOX_PAYSGATOR_TEST_KEY,
    plan_list, self->rate_limit, self->rate_limit == 0 ? " (off)" : "");
}

static void
handle_requests (PdSandbox         *self,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *prefix = query ? g_hash_table_lookup (query, "path") : NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (g_str_equal (method, "DELETE"))
    {
      g_queue_clear_full (&self->requests, (GDestroyNotify) json_object_unref);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }
  if (!g_str_equal (method, "GET"))
    {
      reply_control_error (msg, 405, "GET or DELETE");
      return;
    }

  list = json_array_new ();
  for (GList *l = self->requests.head; l != NULL; l = l->next)
    {
      JsonObject *entry = l->data;

      if (prefix == NULL || g_str_has_prefix (json_object_get_string_member (entry, "path"), prefix))
        json_array_add_object_element (list, json_object_ref (entry));
    }

  obj = json_object_new ();
  json_object_set_array_member (obj, "requests", g_steal_pointer (&list));
  node = json_node_init_object (json_node_alloc (), obj);
  reply_text_json (msg, 200, node);
}

static void
handle_control (PdSandbox         *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;

  if (g_str_equal (path, "/_sandbox/requests"))
    {
      handle_requests (self, msg, query);
      return;
    }

  if (g_str_equal (path, "/_sandbox/info") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = describe (self, TRUE);

      reply_text_json (msg, 200, node);
      return;
    }

  if (g_str_equal (path, "/_sandbox/faults") && g_str_equal (method, "DELETE"))
    {
      pd_sandbox_faults_clear (self->faults);
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }

  if ((g_str_equal (path, "/_sandbox/faults") || g_str_equal (path, "/_sandbox/clock")) &&
      g_str_equal (method, "POST"))
    {
      if (pd_sandbox_parse_json_body (msg, &body) != PD_SANDBOX_BODY_OK)
        {
          reply_control_error (msg, 400, "expected a JSON object");
          return;
        }

      if (g_str_equal (path, "/_sandbox/faults"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) ok = json_from_string ("{\"ok\":true}", NULL);

          if (!pd_sandbox_faults_add_json (self->faults, body, &error))
            reply_control_error (msg, 400, error->message);
          else
            reply_text_json (msg, 201, ok);
        }
      else
        {
          g_autofree char *now = NULL;
          g_autofree char *text = NULL;
          g_autoptr(JsonNode) node = NULL;

          pd_sandbox_advance_clock (self, json_object_get_int_member_with_default (body, "advance_seconds", 0));
          now = pd_sandbox_format_time (pd_sandbox_now (self));
          text = g_strdup_printf ("{\"now\":\"%s\"}", now);
          node = json_from_string (text, NULL);
          reply_text_json (msg, 200, node);
        }
      return;
    }

  reply_control_error (msg, 404, "unknown control request");
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  PdSandbox *self = user_data;
  JsonObject *entry;
  g_autoptr(PdSandboxFault) fault = NULL;
  gboolean paysgator = g_str_has_prefix (path, PD_SANDBOX_PAYSGATOR_PREFIX "/");

  if (g_str_has_prefix (path, "/_sandbox/"))
    {
      handle_control (self, msg, path, query);
      return;
    }

  entry = log_request (self, msg, path);
  g_signal_connect_data (msg, "finished", G_CALLBACK (on_message_finished),
                         entry, (GClosureNotify) (void (*) (void)) json_object_unref, 0);

  fault = pd_sandbox_faults_take (self->faults, path);

  if (fault != NULL && fault->kind == PD_SANDBOX_FAULT_DELAY)
    {
      Delayed *d = g_new0 (Delayed, 1);

      d->self = g_object_ref (self);
      d->msg = g_object_ref (msg);
      d->path = g_strdup (path);
      d->fault = g_steal_pointer (&fault);
      GSource *timeout = g_timeout_source_new (d->fault->delay_ms);

      g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), d);
      soup_server_message_pause (msg);
      /* The server's own context: the sandbox may run in a thread of its own. */
      g_source_set_callback (timeout, on_delay_elapsed, d, NULL);
      g_source_attach (timeout, g_main_context_get_thread_default ());
      g_source_unref (timeout);
      return;
    }

  if (fault != NULL && !fault->after_processing)
    {
      pd_sandbox_fault_apply (fault, msg, paysgator);
      return;
    }

  dispatch (self, msg, path);

  if (fault != NULL)
    pd_sandbox_fault_apply (fault, msg, paysgator);
}

/**
 * pd_sandbox_listen:
 * @port: a TCP port, or 0 for a free one
 *
 * Listens on 127.0.0.1 only, in the thread-default main context.
 */
gboolean
pd_sandbox_listen (PdSandbox  *self,
                   guint       port,
                   GError    **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (PD_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "paydesk-sandbox/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return TRUE;
}

void
pd_sandbox_disconnect (PdSandbox *self)
{
  g_return_if_fail (PD_IS_SANDBOX (self));

  if (self->server != NULL)
    soup_server_disconnect (self->server);
}
