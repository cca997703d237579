#define G_LOG_DOMAIN "pd-pacer"

#include "config.h"

#include "pd-pacer.h"

/* A sliding-window log, not a refilling bucket: a slot is taken when a
 * request is let go and stays taken until the window has passed since its
 * answer arrived. The gateway saw the request before we saw its answer, so
 * two requests that share a slot are always at least a window apart at the
 * gateway, whatever the latency or queueing inside libsoup: no window there
 * can hold more than the limit. */


#define BACKOFF_BASE_MS 1000
#define BACKOFF_CAP_MS  60000
/* A Retry-After beyond this is taken as this: the app must stay usable. */
#define MAX_PAUSE_MS    (10 * 60 * 1000)

struct _PdPacer
{
  GObject       parent_instance;

  guint         limit;
  guint         window_ms;

  guint         in_flight;
  /* Monotonic µs at which recent requests were answered, oldest first. */
  GQueue        answered;
  /* Waiter *, one queue per PdPacerPriority. */
  GQueue        waiting[2];

  gint64        paused_until;
  guint         backoff_step;

  GMainContext *context;
  GSource      *timer;
};

typedef struct
{
  PdPacer *pacer;
  GTask   *task;
  GSource *cancel_source;
  guint    priority;
} Waiter;

G_DEFINE_FINAL_TYPE (PdPacer, pd_pacer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_WINDOW_MS,
  PROP_WAITING_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dispatch (PdPacer *self);

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_object_unref (waiter->task);
  g_free (waiter);
}

/* How long an answered request holds its slot. A sixtieth more than the
 * window: a gateway that counts a minute in whole seconds, with an
 * inclusive comparison, still sees the request as gone. */
static gint64
window_us (PdPacer *self)
{
  return (gint64) self->window_ms * 1000 * 61 / 60;
}

/* Forgets answers that no longer hold a slot; returns the slots in use. */
static guint
slots_in_use (PdPacer *self,
              gint64   now)
{
  while (!g_queue_is_empty (&self->answered))
    {
      gint64 *answered = g_queue_peek_head (&self->answered);

      if (*answered + window_us (self) > now)
        break;
      g_free (g_queue_pop_head (&self->answered));
    }
  return self->in_flight + g_queue_get_length (&self->answered);
}

static void
set_paused_until (PdPacer *self,
                  gint64   paused_until)
{
  if (self->paused_until == paused_until)
    return;
  self->paused_until = paused_until;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING_UNTIL]);
}

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

/* A source that fires once at its ready time, to the µs. */
static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

static gboolean
on_timer (gpointer data)
{
  PdPacer *self = data;

  g_clear_pointer (&self->timer, g_source_unref);
  dispatch (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_timer (PdPacer *self,
                gint64   ready_time)
{
  if (self->timer != NULL)
    {
      if (g_source_get_ready_time (self->timer) <= ready_time)
        return;
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_ready_time (self->timer, ready_time);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_name (self->timer, "[paydesk] pacer");
  g_source_attach (self->timer, self->context);
}

static Waiter *
pop_waiter (PdPacer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->waiting); i++)
    {
      if (!g_queue_is_empty (&self->waiting[i]))
        return g_queue_pop_head (&self->waiting[i]);
    }
  return NULL;
}

static guint
count_waiting (PdPacer *self)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (self->waiting); i++)
    n += g_queue_get_length (&self->waiting[i]);
  return n;
}

/* Lets go as many waiters as the window and a pause allow, and arms the
 * timer for when the next one may go. */
static void
dispatch (PdPacer *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->paused_until != 0 && self->paused_until <= now)
    set_paused_until (self, 0);

  /* The timer also ends a pause nobody waits on, so "waiting-until" drops. */
  if (self->paused_until != 0)
    {
      schedule_timer (self, self->paused_until);
      return;
    }

  while (count_waiting (self) > 0)
    {
      Waiter *waiter;

      if (self->limit > 0 && slots_in_use (self, now) >= self->limit)
        {
          /* With every slot in flight, pd_pacer_release() calls back. */
          if (!g_queue_is_empty (&self->answered))
            {
              gint64 *oldest = g_queue_peek_head (&self->answered);
              schedule_timer (self, *oldest + window_us (self));
            }
          return;
        }

      waiter = pop_waiter (self);
      self->in_flight++;
      g_task_return_boolean (waiter->task, TRUE);
      waiter_free (waiter);
    }
}

static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      data)
{
  Waiter *waiter = data;
  PdPacer *self = waiter->pacer;

  g_queue_remove (&self->waiting[waiter->priority], waiter);
  g_task_return_new_error (waiter->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "Cancelled while waiting for the rate limit");
  waiter_free (waiter);
  return G_SOURCE_REMOVE;
}

void
pd_pacer_acquire_async (PdPacer             *self,
                        PdPacerPriority      priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (PD_IS_PACER (self));
  g_return_if_fail (priority <= PD_PACER_PRIORITY_BACKGROUND);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pacer_acquire_async);
  /* Once granted, the slot is the caller's even if it is cancelled before
   * the callback runs: it must learn that, to release the slot. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  waiter = g_new0 (Waiter, 1);
  waiter->pacer = self;
  waiter->task = g_steal_pointer (&task);
  waiter->priority = priority;
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, (GSourceFunc) on_waiter_cancelled, waiter, NULL);
      g_source_set_name (waiter->cancel_source, "[paydesk] pacer cancel");
      g_source_attach (waiter->cancel_source, self->context);
    }
  g_queue_push_tail (&self->waiting[priority], waiter);

  dispatch (self);
}

gboolean
pd_pacer_acquire_finish (PdPacer       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PD_IS_PACER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pd_pacer_release (PdPacer *self)
{
  gint64 *answered;

  g_return_if_fail (PD_IS_PACER (self));
  g_return_if_fail (self->in_flight > 0);

  self->in_flight--;
  if (self->limit > 0)
    {
      answered = g_new (gint64, 1);
      *answered = g_get_monotonic_time ();
      g_queue_push_tail (&self->answered, answered);
    }
  dispatch (self);
}

gint64
pd_pacer_rate_limited (PdPacer *self,
                       gint64   retry_after_ms)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait_ms;

  g_return_val_if_fail (PD_IS_PACER (self), 0);

  if (self->paused_until > now)
    {
      /* Requests already in flight when the pause began: the gateway has
       * told us once, so this is no reason to back off further. */
      wait_ms = MAX (retry_after_ms, 0);
    }
  else
    {
      gint64 backoff_ms = MIN ((gint64) BACKOFF_BASE_MS << MIN (self->backoff_step, 16), BACKOFF_CAP_MS);

      backoff_ms += g_random_int_range (0, (gint32) (backoff_ms / 4) + 1);
      if (retry_after_ms < 0)
        wait_ms = backoff_ms;
      else if (self->backoff_step == 0)
        wait_ms = retry_after_ms;
      else
        wait_ms = MAX (retry_after_ms, backoff_ms);
      self->backoff_step++;
    }

  wait_ms = MIN (wait_ms, MAX_PAUSE_MS);
  if (now + wait_ms * 1000 > self->paused_until)
    set_paused_until (self, now + wait_ms * 1000);

  dispatch (self);
  return self->paused_until > now ? (self->paused_until - now) / 1000 : 0;
}

void
pd_pacer_reset_backoff (PdPacer *self)
{
  g_return_if_fail (PD_IS_PACER (self));

  self->backoff_step = 0;
}

gint64
pd_pacer_get_waiting_until (PdPacer *self)
{
  g_return_val_if_fail (PD_IS_PACER (self), 0);

  return self->paused_until;
}

guint
pd_pacer_get_waiting_seconds (PdPacer *self)
{
  gint64 left;

  g_return_val_if_fail (PD_IS_PACER (self), 0);

  if (self->paused_until == 0)
    return 0;
  left = self->paused_until - g_get_monotonic_time ();
  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

guint
pd_pacer_get_queued (PdPacer *self)
{
  g_return_val_if_fail (PD_IS_PACER (self), 0);

  return count_waiting (self);
}

guint
pd_pacer_get_limit (PdPacer *self)
{
  g_return_val_if_fail (PD_IS_PACER (self), 0);

  return self->limit;
}

void
pd_pacer_set_limit (PdPacer *self,
                    guint    limit)
{
  g_return_if_fail (PD_IS_PACER (self));

  if (self->limit == limit)
    return;
  self->limit = limit;
  if (limit == 0)
    g_queue_clear_full (&self->answered, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
  dispatch (self);
}

guint
pd_pacer_get_window_ms (PdPacer *self)
{
  g_return_val_if_fail (PD_IS_PACER (self), 0);

  return self->window_ms;
}

PdPacer *
pd_pacer_new (guint limit,
              guint window_ms)
{
  return g_object_new (PD_TYPE_PACER,
                       "limit", limit,
                       "window-ms", window_ms,
                       NULL);
}

static void
pd_pacer_dispose (GObject *object)
{
  PdPacer *self = PD_PACER (object);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  G_OBJECT_CLASS (pd_pacer_parent_class)->dispose (object);
}

static void
pd_pacer_finalize (GObject *object)
{
  PdPacer *self = PD_PACER (object);

  /* Every waiter's task holds a reference: none can be left here. */
  g_assert (count_waiting (self) == 0);
  g_queue_clear_full (&self->answered, g_free);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (pd_pacer_parent_class)->finalize (object);
}

static void
pd_pacer_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PdPacer *self = PD_PACER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_WINDOW_MS:
      g_value_set_uint (value, self->window_ms);
      break;
    case PROP_WAITING_UNTIL:
      g_value_set_int64 (value, self->paused_until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_pacer_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  PdPacer *self = PD_PACER (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      pd_pacer_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_WINDOW_MS:
      self->window_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_pacer_class_init (PdPacerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_pacer_dispose;
  object_class->finalize = pd_pacer_finalize;
  object_class->get_property = pd_pacer_get_property;
  object_class->set_property = pd_pacer_set_property;

  /**
   * PdPacer:limit:
   *
   * Requests allowed in any window; 0 turns pacing off (a 429 still
   * pauses the account).
   */
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL,
                       0, G_MAXUINT, PD_PACER_DEFAULT_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WINDOW_MS] =
    g_param_spec_uint ("window-ms", NULL, NULL,
                       1, G_MAXUINT, PD_PACER_DEFAULT_WINDOW_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PdPacer:waiting-until:
   *
   * When the pause after a 429 ends (monotonic µs), or 0: what the UI
   * turns into "waiting N s for the gateway's rate limit".
   */
  properties[PROP_WAITING_UNTIL] =
    g_param_spec_int64 ("waiting-until", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_pacer_init (PdPacer *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->answered);
  for (guint i = 0; i < G_N_ELEMENTS (self->waiting); i++)
    g_queue_init (&self->waiting[i]);
}
