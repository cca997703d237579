#define G_LOG_DOMAIN "pd-http"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-http-private.h"

#define RETRY_BASE_MS       1000
#define RETRY_CAP_MS        30000

struct _PdHttp
{
  GObject      parent_instance;

  char        *base_url;
  SoupSession *session;
  PdPacer     *pacer;
  char        *api_key;
  char        *api_secret;
  guint        timeout;
  guint        max_attempts;
};

static void pd_http_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdHttp, pd_http, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, pd_http_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_PACER,
  PROP_TIMEOUT,
  PROP_MAX_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char         *data;
  gsize         len;
} SecretBody;

static void start_attempt (GTask *task);

static void
secret_body_free (gpointer data)
{
  SecretBody *body = data;

  explicit_bzero (body->data, body->len);
  g_free (body->data);
  g_free (body);
}

/* The request body may hold a card number: the copy is wiped when freed. */
static GBytes *
secret_bytes_new (const char *text)
{
  SecretBody *body = g_new (SecretBody, 1);

  body->len = strlen (text);
  body->data = g_memdup2 (text, body->len);
  return g_bytes_new_with_free_func (body->data, body->len, secret_body_free, body);
}

static void
wipe_string (char **str)
{
  if (*str != NULL)
    explicit_bzero (*str, strlen (*str));
  g_clear_pointer (str, g_free);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Ends the current attempt: stops reading, gives the pacer slot back. */
void
pd_http_end_attempt (PdHttp       *self,
                     Request      *req,
                     GCancellable *cancellable)
{
  clear_source (&req->deadline);
  if (req->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, req->cancelled_id);
      req->cancelled_id = 0;
    }
  /* Closing a stream that is not at its end would read the rest first:
   * cancelling the message makes it drop the connection instead. */
  if (req->stream != NULL && !req->at_eof)
    g_cancellable_cancel (req->attempt_cancellable);
  g_clear_object (&req->stream);
  req->at_eof = FALSE;
  g_clear_object (&req->msg);
  g_clear_object (&req->attempt_cancellable);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
  req->timed_out = FALSE;
  req->sent_before |= req->wrote_body;
  req->wrote_body = FALSE;

  if (req->holding_slot)
    {
      req->holding_slot = FALSE;
      pd_pacer_release (self->pacer);
    }
}

static void
request_free (Request *req)
{
  g_assert (req->msg == NULL && !req->holding_slot);
  clear_source (&req->backoff);
  clear_source (&req->backoff_cancel);
  g_free (req->method);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->chunk);
  g_free (req);
}

void
pd_http_fail (GTask  *task,
              GError *error)
{
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  pd_http_end_attempt (self, req, g_task_get_cancellable (task));
  g_debug ("%s %s failed after %u attempt(s): %s (%s)", req->method, g_uri_get_path (req->uri),
           req->attempt, error->message, pd_gateway_error_get_detail (error) ? pd_gateway_error_get_detail (error) : "");
  g_task_return_error (task, error);
}

gboolean
pd_http_may_retry (PdHttp  *self,
                   Request *req)
{
  return (req->safe || (req->flags & PD_HTTP_FLAGS_IDEMPOTENT) != 0) &&
         req->attempt < self->max_attempts;
}

gint64
pd_http_backoff_ms (guint attempt)
{
  gint64 wait = MIN ((gint64) RETRY_BASE_MS << MIN (attempt - 1, 16), RETRY_CAP_MS);

  return wait + g_random_int_range (0, (gint32) (wait / 4) + 1);
}

static gboolean
on_backoff_done (gpointer data)
{
  GTask *task = data;
  Request *req = g_task_get_task_data (task);

  clear_source (&req->backoff_cancel);
  g_clear_pointer (&req->backoff, g_source_unref);
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_backoff_cancelled (GCancellable *cancellable,
                      gpointer      data)
{
  GTask *task = data;
  Request *req = g_task_get_task_data (task);

  clear_source (&req->backoff);
  g_clear_pointer (&req->backoff_cancel, g_source_unref);
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

/* Tries again after @wait_ms; the next attempt waits for the pacer too. */
void
pd_http_retry (GTask  *task,
               gint64  wait_ms)
{
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  pd_http_end_attempt (self, req, cancellable);
  g_debug ("%s %s: retrying in %" G_GINT64_FORMAT " ms", req->method, g_uri_get_path (req->uri), wait_ms);

  if (wait_ms <= 0)
    {
      start_attempt (task);
      return;
    }

  req->backoff = g_timeout_source_new ((guint) wait_ms);
  g_source_set_callback (req->backoff, on_backoff_done, g_object_ref (task), g_object_unref);
  g_source_set_name (req->backoff, "[paydesk] http backoff");
  g_source_attach (req->backoff, g_task_get_context (task));

  /* A cancel during the wait ends it at once: the next attempt sees it. */
  if (cancellable != NULL)
    {
      req->backoff_cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->backoff_cancel, (GSourceFunc) on_backoff_cancelled,
                             g_object_ref (task), g_object_unref);
      g_source_attach (req->backoff_cancel, g_task_get_context (task));
    }
}

static GError *
cancelled_error (Request *req)
{
  return pd_gateway_error_new (PD_GATEWAY_ERROR_CANCELLED,
                               !req->safe && (req->wrote_body || req->sent_before)
                               ? "cancelled after the request was sent" : NULL);
}

/* The request failed below HTTP: connect, TLS, write, or reading the answer. */
void
pd_http_on_transport_error (GTask    *task,
                            GError   *io_error,
                            gboolean  reading_body)
{
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  gboolean maybe_done = !req->safe && (req->wrote_body || req->sent_before);
  g_autofree char *detail = g_strdup_printf ("%s (%s %d)", io_error->message,
                                             g_quark_to_string (io_error->domain), io_error->code);
  gboolean passing;
  GError *error;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      pd_http_fail (task, cancelled_error (req));
      return;
    }

  if (req->timed_out || g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* Not retried: whoever waits has already waited the whole timeout. */
      pd_http_fail (task, pd_gateway_error_new (maybe_done ? PD_GATEWAY_ERROR_OUTCOME_UNKNOWN : PD_GATEWAY_ERROR_TIMEOUT,
                                        "no answer within the timeout"));
      return;
    }

  if (io_error->domain == G_TLS_ERROR)
    {
      pd_http_fail (task, pd_gateway_error_new_tls (soup_message_get_tls_peer_certificate_errors (req->msg), detail));
      return;
    }

  /* An answer libsoup cannot parse is not a passing fault. */
  passing = io_error->domain != SOUP_SESSION_ERROR;
  if (maybe_done && !(passing && (req->flags & PD_HTTP_FLAGS_IDEMPOTENT) && pd_http_may_retry (self, req)))
    {
      pd_http_fail (task, pd_gateway_error_new (PD_GATEWAY_ERROR_OUTCOME_UNKNOWN, detail));
      return;
    }
  if (!passing)
    {
      pd_http_fail (task, pd_gateway_error_new (PD_GATEWAY_ERROR_BAD_RESPONSE, detail));
      return;
    }

  if (pd_http_may_retry (self, req))
    {
      pd_http_retry (task, pd_http_backoff_ms (req->attempt));
      return;
    }

  error = pd_gateway_error_new (reading_body ? PD_GATEWAY_ERROR_BAD_RESPONSE : PD_GATEWAY_ERROR_NETWORK, detail);
  if (reading_body)
    pd_gateway_error_set_http_status (error, soup_message_get_status (req->msg));
  pd_http_fail (task, error);
}

static void
on_wrote_body (SoupMessage *msg,
               gpointer     data)
{
  Request *req = data;

  req->wrote_body = TRUE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
on_deadline (gpointer data)
{
  Request *req = data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  g_clear_pointer (&req->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_slot (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  SoupMessageHeaders *headers;

  if (!pd_pacer_acquire_finish (PD_PACER (source), result, NULL))
    {
      pd_http_fail (task, cancelled_error (req));
      return;
    }
  req->holding_slot = TRUE;

  req->msg = soup_message_new_from_uri (req->method, req->uri);
  /* A redirect would turn a POST into a GET, or lead off the gateway. */
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  /* A kept-alive connection the gateway has already closed would make a
   * POST look sent when it was not: such requests get a fresh one. */
  if (!req->safe)
    soup_message_add_flags (req->msg, SOUP_MESSAGE_NEW_CONNECTION);

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->api_key != NULL)
    soup_message_headers_replace (headers, "X-Api-Key", self->api_key);
  if (self->api_secret != NULL)
    soup_message_headers_replace (headers, "X-Api-Secret", self->api_secret);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, "application/json", req->body);
  g_signal_connect (req->msg, "wrote-body", G_CALLBACK (on_wrote_body), req);

  req->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    req->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                               g_object_ref (req->attempt_cancellable), g_object_unref);

  if (self->timeout > 0)
    {
      req->deadline = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (req->deadline, on_deadline, req, NULL);
      g_source_set_name (req->deadline, "[paydesk] http deadline");
      g_source_attach (req->deadline, g_task_get_context (task));
    }

  soup_session_send_async (self->session, req->msg, g_task_get_priority (task),
                           req->attempt_cancellable, pd_http_on_sent, g_object_ref (task));
}

static void
start_attempt (GTask *task)
{
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  req->attempt++;
  pd_pacer_acquire_async (self->pacer,
                          (req->flags & PD_HTTP_FLAGS_BACKGROUND) ? PD_PACER_PRIORITY_BACKGROUND
                                                                  : PD_PACER_PRIORITY_INTERACTIVE,
                          g_task_get_cancellable (task), on_slot, g_object_ref (task));
}

void
pd_http_request_async (PdHttp              *self,
                       const char          *method,
                       const char          *path,
                       const char          *body,
                       PdHttpFlags          flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Request *req;

  g_return_if_fail (PD_IS_HTTP (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_http_request_async);
  g_task_set_priority (task, (flags & PD_HTTP_FLAGS_BACKGROUND) ? G_PRIORITY_LOW : G_PRIORITY_DEFAULT);
  /* A cancelled request ends with PD_GATEWAY_ERROR_CANCELLED, not GIO's. */
  g_task_set_check_cancellable (task, FALSE);

  req = g_new0 (Request, 1);
  req->method = g_ascii_strup (method, -1);
  req->flags = flags;
  req->safe = g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD");
  if (body != NULL)
    req->body = secret_bytes_new (body);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  url = g_strconcat (self->base_url, path, NULL);
  req->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (req->uri == NULL)
    {
      g_task_return_error (task, pd_gateway_error_new (PD_GATEWAY_ERROR_BAD_REQUEST, error->message));
      return;
    }

  start_attempt (task);
}

PdHttpResponse *
pd_http_request_finish (PdHttp        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PD_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_http_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
pd_http_check_base_url (const char  *base_url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (base_url != NULL)
    uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, pd_gateway_error_new (PD_GATEWAY_ERROR_INSECURE_URL, "not a URL"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_propagate_error (error, pd_gateway_error_new (PD_GATEWAY_ERROR_INSECURE_URL, "no host"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host))
    return TRUE;

  g_propagate_error (error, pd_gateway_error_new (PD_GATEWAY_ERROR_INSECURE_URL,
                                                  g_ascii_strcasecmp (scheme, "http") == 0
                                                  ? "plain http:// to a host that is not loopback"
                                                  : "not an http(s) URL"));
  return FALSE;
}

PdHttp *
pd_http_new (const char  *base_url,
             PdPacer     *pacer,
             GError     **error)
{
  g_return_val_if_fail (pacer == NULL || PD_IS_PACER (pacer), NULL);

  return g_initable_new (PD_TYPE_HTTP, NULL, error,
                         "base-url", base_url,
                         "pacer", pacer,
                         NULL);
}

const char *
pd_http_get_base_url (PdHttp *self)
{
  g_return_val_if_fail (PD_IS_HTTP (self), NULL);

  return self->base_url;
}

PdPacer *
pd_http_get_pacer (PdHttp *self)
{
  g_return_val_if_fail (PD_IS_HTTP (self), NULL);

  return self->pacer;
}

void
pd_http_set_credentials (PdHttp     *self,
                         const char *api_key,
                         const char *api_secret)
{
  g_return_if_fail (PD_IS_HTTP (self));

  wipe_string (&self->api_key);
  wipe_string (&self->api_secret);
  self->api_key = g_strdup (api_key);
  self->api_secret = g_strdup (api_secret);
}

guint
pd_http_get_timeout (PdHttp *self)
{
  g_return_val_if_fail (PD_IS_HTTP (self), 0);

  return self->timeout;
}

void
pd_http_set_timeout (PdHttp *self,
                     guint   seconds)
{
  g_return_if_fail (PD_IS_HTTP (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
pd_http_get_max_attempts (PdHttp *self)
{
  g_return_val_if_fail (PD_IS_HTTP (self), 0);

  return self->max_attempts;
}

void
pd_http_set_max_attempts (PdHttp *self,
                          guint   max_attempts)
{
  g_return_if_fail (PD_IS_HTTP (self));
  g_return_if_fail (max_attempts >= 1);

  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

static gboolean
pd_http_initable_init (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  PdHttp *self = PD_HTTP (initable);
  g_autofree char *user_agent = NULL;

  if (!pd_http_check_base_url (self->base_url, error))
    return FALSE;

  user_agent = g_strdup_printf ("Paydesk/%s", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", self->timeout,
                                                 NULL);

  pd_http_add_debug_logger (self->session);

  if (self->pacer == NULL)
    self->pacer = pd_pacer_new (PD_PACER_DEFAULT_LIMIT, PD_PACER_DEFAULT_WINDOW_MS);

  return TRUE;
}

static void
pd_http_initable_iface_init (GInitableIface *iface)
{
  iface->init = pd_http_initable_init;
}

static void
pd_http_dispose (GObject *object)
{
  PdHttp *self = PD_HTTP (object);

  g_clear_object (&self->session);
  g_clear_object (&self->pacer);

  G_OBJECT_CLASS (pd_http_parent_class)->dispose (object);
}

static void
pd_http_finalize (GObject *object)
{
  PdHttp *self = PD_HTTP (object);

  wipe_string (&self->api_key);
  wipe_string (&self->api_secret);
  g_free (self->base_url);

  G_OBJECT_CLASS (pd_http_parent_class)->finalize (object);
}

static void
pd_http_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PdHttp *self = PD_HTTP (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_PACER:
      g_value_set_object (value, self->pacer);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_http_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  PdHttp *self = PD_HTTP (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url ? strlen (url) : 0;

        /* Paths start with '/': the base keeps none at its end. */
        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = url ? g_strndup (url, len) : NULL;
      }
      break;
    case PROP_PACER:
      self->pacer = g_value_dup_object (value);
      break;
    case PROP_TIMEOUT:
      pd_http_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ATTEMPTS:
      pd_http_set_max_attempts (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_http_class_init (PdHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_http_dispose;
  object_class->finalize = pd_http_finalize;
  object_class->get_property = pd_http_get_property;
  object_class->set_property = pd_http_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PACER] =
    g_param_spec_object ("pacer", NULL, NULL,
                         PD_TYPE_PACER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PdHttp:timeout:
   *
   * Seconds an attempt may take from sending to the end of the answer;
   * 0 for none.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, 3600, PD_HTTP_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 10, PD_HTTP_DEFAULT_MAX_ATTEMPTS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_http_init (PdHttp *self)
{
}
