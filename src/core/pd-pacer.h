/* pd-pacer.h: keeps one account's requests under the gateway's rate limit */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The limit both specs document: 100 requests per minute per merchant. */
#define PD_PACER_DEFAULT_LIMIT     100
#define PD_PACER_DEFAULT_WINDOW_MS 60000

/* Who waits for a request: a person's action is served before any
 * background refresh that is queued. */
typedef enum
{
  PD_PACER_PRIORITY_INTERACTIVE,
  PD_PACER_PRIORITY_BACKGROUND,
} PdPacerPriority;

#define PD_TYPE_PACER (pd_pacer_get_type ())

G_DECLARE_FINAL_TYPE (PdPacer, pd_pacer, PD, PACER, GObject)

/* At most @limit requests in any @window_ms (0: no limit). */
PdPacer  *pd_pacer_new                 (guint             limit,
                                        guint             window_ms);
guint     pd_pacer_get_limit           (PdPacer          *self);
void      pd_pacer_set_limit           (PdPacer          *self,
                                        guint             limit);
guint     pd_pacer_get_window_ms       (PdPacer          *self);

/* Waits for a free slot (in priority order, FIFO within a priority).
 * Every successful acquire must be followed by one pd_pacer_release()
 * when the request's answer has arrived or the request failed. Fails
 * only with G_IO_ERROR_CANCELLED, holding no slot. */
void      pd_pacer_acquire_async       (PdPacer          *self,
                                        PdPacerPriority   priority,
                                        GCancellable     *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer          user_data);
gboolean  pd_pacer_acquire_finish      (PdPacer          *self,
                                        GAsyncResult     *result,
                                        GError          **error);
void      pd_pacer_release             (PdPacer          *self);

/* The gateway answered 429: the whole account pauses for @retry_after_ms
 * (the answer's Retry-After, or -1), or for an exponential back-off
 * (1 s, 2 s, 4 s … capped, with jitter) when there is none or 429s keep
 * coming. Returns how long the pause lasts from now, in ms. */
gint64    pd_pacer_rate_limited        (PdPacer          *self,
                                        gint64            retry_after_ms);
/* An answer other than 429 arrived: the next 429 starts the back-off anew. */
void      pd_pacer_reset_backoff       (PdPacer          *self);

/* When the pause for a 429 ends, in g_get_monotonic_time() µs; 0 when the
 * account is not paused. Notified as "waiting-until". */
gint64    pd_pacer_get_waiting_until   (PdPacer          *self);
/* The same as whole seconds left, rounded up, for "waiting N s". */
guint     pd_pacer_get_waiting_seconds (PdPacer          *self);
/* How many requests wait for a slot. */
guint     pd_pacer_get_queued          (PdPacer          *self);

G_END_DECLS
