/* pd-http-private.h: what the parts of PdHttp share about a request in flight */
#pragma once

#include "pd-http.h"

G_BEGIN_DECLS

typedef struct
{
  char         *method;
  GUri         *uri;
  GBytes       *body;
  PdHttpFlags   flags;
  /* GET and HEAD change nothing at the gateway: always safe to repeat. */
  gboolean      safe;
  guint         attempt;
  /* An earlier attempt was sent in full. */
  gboolean      sent_before;

  /* The current attempt. */
  gboolean      holding_slot;
  SoupMessage  *msg;
  GCancellable *attempt_cancellable;
  gulong        cancelled_id;
  GSource      *deadline;
  gboolean      timed_out;
  gboolean      wrote_body;
  GInputStream *stream;
  gboolean      at_eof;
  GByteArray   *buffer;
  /* One read buffer for the request's life: read_bytes() would allocate
   * and shrink a chunk on every read. */
  guint8       *chunk;

  /* Between attempts. */
  GSource      *backoff;
  GSource      *backoff_cancel;
} Request;

void     pd_http_end_attempt        (PdHttp       *self,
                                     Request      *req,
                                     GCancellable *cancellable);
void     pd_http_fail               (GTask        *task,
                                     GError       *error);
gboolean pd_http_may_retry          (PdHttp       *self,
                                     Request      *req);
gint64   pd_http_backoff_ms         (guint         attempt);
void     pd_http_retry              (GTask        *task,
                                     gint64        wait_ms);
void     pd_http_on_transport_error (GTask        *task,
                                     GError       *io_error,
                                     gboolean      reading_body);

/* pd-http-response.c: reads, checks and parses the answer of a sent request. */
void     pd_http_on_sent            (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      data);

/* pd-http-log.c: logs every exchange, redacted, when PAYDESK_DEBUG=http. */
void     pd_http_add_debug_logger   (SoupSession  *session);

G_END_DECLS
