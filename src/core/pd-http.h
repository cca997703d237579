/* pd-http.h: one account's HTTP connection to its gateway */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-pacer.h"

G_BEGIN_DECLS

/* Answers larger than this are refused (BAD_RESPONSE) without reading on. */
#define PD_HTTP_MAX_BODY             (2 * 1024 * 1024)
#define PD_HTTP_DEFAULT_TIMEOUT      30
/* The first try and three retries, 1 s, 2 s and 4 s apart. */
#define PD_HTTP_DEFAULT_MAX_ATTEMPTS 4

/**
 * PdHttpFlags:
 * @PD_HTTP_FLAGS_NONE: a person waits for the answer
 * @PD_HTTP_FLAGS_BACKGROUND: a refresh nobody waits for; the pacer serves
 *   every person's request first
 * @PD_HTTP_FLAGS_IDEMPOTENT: a request that is not a GET but may be sent
 *   again safely, by construction (initialize with a fixed order_id); it is
 *   retried like a GET. Never for a refund.
 */
typedef enum
{
  PD_HTTP_FLAGS_NONE       = 0,
  PD_HTTP_FLAGS_BACKGROUND = 1 << 0,
  PD_HTTP_FLAGS_IDEMPOTENT = 1 << 1,
} PdHttpFlags;

/* A 2xx answer. @body is the parsed JSON object, or NULL when the answer
 * had no body; @attempts counts the tries it took. */
typedef struct
{
  guint               status;
  JsonNode           *body;
  SoupMessageHeaders *headers;
  guint               attempts;
} PdHttpResponse;

#define PD_TYPE_HTTP_RESPONSE (pd_http_response_get_type ())

GType           pd_http_response_get_type   (void) G_GNUC_CONST;
PdHttpResponse *pd_http_response_copy       (const PdHttpResponse *response);
void            pd_http_response_free       (PdHttpResponse       *response);
/* The body as an object, or NULL when there was none. */
JsonObject     *pd_http_response_get_object (const PdHttpResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdHttpResponse, pd_http_response_free)

#define PD_TYPE_HTTP (pd_http_get_type ())

G_DECLARE_FINAL_TYPE (PdHttp, pd_http, PD, HTTP, GObject)

/* Fails with PD_GATEWAY_ERROR_INSECURE_URL unless @base_url is https://,
 * or http:// on loopback (127.0.0.0/8, ::1, localhost). @pacer may be
 * NULL: then the account gets one at the documented 100 per minute. */
PdHttp         *pd_http_new                 (const char           *base_url,
                                             PdPacer              *pacer,
                                             GError              **error);
/* The same check, for a settings form. */
gboolean        pd_http_check_base_url      (const char           *base_url,
                                             GError              **error);

const char     *pd_http_get_base_url        (PdHttp               *self);
PdPacer        *pd_http_get_pacer           (PdHttp               *self);
/* The spec's headers: X-Api-Key, and X-Api-Secret unless @api_secret is
 * NULL (PaysGator). The copies are wiped when replaced or freed. */
void            pd_http_set_credentials     (PdHttp               *self,
                                             const char           *api_key,
                                             const char           *api_secret);
guint           pd_http_get_timeout         (PdHttp               *self);
void            pd_http_set_timeout         (PdHttp               *self,
                                             guint                 seconds);
guint           pd_http_get_max_attempts    (PdHttp               *self);
void            pd_http_set_max_attempts    (PdHttp               *self,
                                             guint                 max_attempts);

/* @path (with any query) is appended to the base URL. @body is JSON text
 * or NULL; Paydesk's copy of it is wiped once the request is over. A GET
 * is retried on connection errors, 5xx and 429; anything else only with
 * PD_HTTP_FLAGS_IDEMPOTENT. Errors are PD_GATEWAY_ERROR; a request that
 * is not safe to repeat and was sent in full fails with OUTCOME_UNKNOWN
 * when its answer is lost or unreadable. */
void            pd_http_request_async       (PdHttp               *self,
                                             const char           *method,
                                             const char           *path,
                                             const char           *body,
                                             PdHttpFlags           flags,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
PdHttpResponse *pd_http_request_finish      (PdHttp               *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* What the PAYDESK_DEBUG=http log prints for one line SoupLogger gives it
 * at @level: the values of X-Api-Key, X-Api-Secret, Authorization,
 * card_number and cvv, and anything that looks like a card number (in a
 * body cut short, a trailing run of more than six digits), replaced by
 * "[redacted]". */
char           *pd_http_redact_for_log      (SoupLoggerLogLevel    level,
                                             const char           *text);

G_END_DECLS
