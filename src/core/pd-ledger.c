#define G_LOG_DOMAIN "pd-ledger"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-ledger-private.h"

/*
 * One worker thread per ledger owns the PdLedgerDb; everything else reaches
 * it through a queue of jobs, run one at a time in the order they were
 * queued. An async job carries a GTask created in the caller's thread, so
 * its callback runs in the caller's main context; a sync job carries a
 * SyncWait the caller blocks on. A job without an op ends the worker, after
 * whatever was queued before it.
 */

typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  done;
  gboolean  ok;
  gpointer  result;
  GError   *error;
} SyncWait;

typedef struct
{
  PdLedgerOp      op;
  PdLedgerArgs   *args;
  GDestroyNotify  result_free;
  gboolean        is_read;          /* its cancellable may stop it midway */
  gboolean        returns_boolean;
  GCancellable   *cancellable;
  GTask          *task;
  SyncWait       *wait;
} Job;

typedef struct
{
  GAsyncQueue *queue;
  PdLedgerDb  *db;
} Worker;

struct _PdLedger
{
  GObject      parent_instance;

  char        *path;
  GAsyncQueue *queue;
};

static void pd_ledger_initable_iface_init       (GInitableIface      *iface);
static void pd_ledger_async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdLedger, pd_ledger, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, pd_ledger_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, pd_ledger_async_initable_iface_init))

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PdLedgerArgs *
args_new (void)
{
  return g_new0 (PdLedgerArgs, 1);
}

static void
args_free (PdLedgerArgs *args)
{
  g_free (args->account_id);
  g_free (args->key);
  g_free (args->text);
  g_clear_pointer (&args->objects, g_ptr_array_unref);
  g_clear_pointer (&args->filter, pd_ledger_filter_unref);
  g_free (args);
}

/* The snapshot the worker writes from: the caller may change @object meanwhile. */
static PdLedgerArgs *
args_new_for_object (gpointer object)
{
  PdLedgerArgs *args = args_new ();

  args->objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (args->objects, object);

  return args;
}

static Job *
job_new (PdLedgerOp      op,
         PdLedgerArgs   *args,
         GDestroyNotify  result_free,
         gboolean        is_read,
         GCancellable   *cancellable)
{
  Job *job = g_new0 (Job, 1);

  job->op = op;
  job->args = args;
  job->result_free = result_free;
  job->is_read = is_read;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  return job;
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->args, args_free);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
op_open (PdLedgerDb    *db,
         PdLedgerArgs  *args,
         gpointer      *result,
         GError       **error)
{
  return pd_ledger_db_open (db, error);
}

static gboolean
op_close (PdLedgerDb    *db,
          PdLedgerArgs  *args,
          gpointer      *result,
          GError       **error)
{
  pd_ledger_db_close (db);

  return TRUE;
}

static gboolean
op_set_max_pages (PdLedgerDb    *db,
                  PdLedgerArgs  *args,
                  gpointer      *result,
                  GError       **error)
{
  /* PRAGMA takes no parameters; the number is not text from anyone. */
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", args->limit);

  return pd_ledger_db_exec (db, sql, error);
}

static void
job_run (PdLedgerDb *db,
         Job        *job)
{
  gpointer result = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  if (db->handle == NULL && job->op != op_open && job->op != op_close)
    {
      g_set_error (&error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED, _("The ledger is closed."));
    }
  else if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    {
      db->cancellable = job->is_read ? job->cancellable : NULL;
      ok = job->op (db, job->args, &result, &error);
      db->cancellable = NULL;
      if (!ok && error == NULL)
        g_set_error (&error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_FAILED, _("The ledger failed."));
    }

  if (job->task != NULL)
    {
      if (!ok)
        g_task_return_error (job->task, error);
      else if (job->returns_boolean)
        g_task_return_boolean (job->task, TRUE);
      else
        g_task_return_pointer (job->task, result, job->result_free);
      job_free (job);
    }
  else
    {
      SyncWait *wait = job->wait;

      job_free (job);
      /* After the unlock the waiter may return and free @wait. */
      g_mutex_lock (&wait->mutex);
      wait->ok = ok;
      wait->result = result;
      wait->error = error;
      wait->done = TRUE;
      g_cond_signal (&wait->cond);
      g_mutex_unlock (&wait->mutex);
    }
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);

      if (job->op == NULL)
        {
          job_free (job);
          break;
        }
      job_run (worker->db, job);
    }

  pd_ledger_db_free (worker->db);
  g_async_queue_unref (worker->queue);
  g_free (worker);

  return NULL;
}

static void
queue_async (PdLedger            *self,
             Job                 *job,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  job->task = g_task_new (self, job->cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  /* A write that has started commits whatever the caller does: report that, not a cancellation. */
  g_task_set_check_cancellable (job->task, job->is_read);
  g_async_queue_push (self->queue, job);
}

static gboolean
queue_sync (PdLedger  *self,
            Job       *job,
            gpointer  *result,
            GError   **error)
{
  SyncWait wait = { 0 };

  g_mutex_init (&wait.mutex);
  g_cond_init (&wait.cond);
  job->wait = &wait;
  g_async_queue_push (self->queue, job);

  g_mutex_lock (&wait.mutex);
  while (!wait.done)
    g_cond_wait (&wait.cond, &wait.mutex);
  g_mutex_unlock (&wait.mutex);
  g_mutex_clear (&wait.mutex);
  g_cond_clear (&wait.cond);

  if (!wait.ok)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  if (result != NULL)
    *result = wait.result;

  return TRUE;
}

static gpointer
finish_pointer (PdLedger      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (PD_IS_LEDGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
pd_ledger_initable_init (GInitable     *initable,
                         GCancellable  *cancellable,
                         GError       **error)
{
  PdLedger *self = PD_LEDGER (initable);

  return queue_sync (self, job_new (op_open, args_new (), NULL, FALSE, cancellable), NULL, error);
}

static void
pd_ledger_initable_iface_init (GInitableIface *iface)
{
  iface->init = pd_ledger_initable_init;
}

static void
pd_ledger_init_async (GAsyncInitable      *initable,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  PdLedger *self = PD_LEDGER (initable);
  Job *job = job_new (op_open, args_new (), NULL, FALSE, cancellable);

  job->returns_boolean = TRUE;
  queue_async (self, job, pd_ledger_init_async, callback, user_data);
}

static gboolean
pd_ledger_init_finish (GAsyncInitable  *initable,
                       GAsyncResult    *result,
                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, initable), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pd_ledger_async_initable_iface_init (GAsyncInitableIface *iface)
{
  iface->init_async = pd_ledger_init_async;
  iface->init_finish = pd_ledger_init_finish;
}

static void
pd_ledger_constructed (GObject *object)
{
  PdLedger *self = PD_LEDGER (object);
  Worker *worker = g_new0 (Worker, 1);

  G_OBJECT_CLASS (pd_ledger_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = pd_ledger_get_default_path ();
  self->queue = g_async_queue_new ();
  worker->queue = g_async_queue_ref (self->queue);
  worker->db = pd_ledger_db_new (self->path);
  g_thread_unref (g_thread_new ("pd-ledger", worker_main, worker));
}

/* Never waits: the worker closes the file after the queued work (which holds
 * references, so only sync callers can still be waiting) and ends. */
static void
pd_ledger_finalize (GObject *object)
{
  PdLedger *self = PD_LEDGER (object);

  g_async_queue_push (self->queue, job_new (NULL, NULL, NULL, FALSE, NULL));
  g_async_queue_unref (self->queue);
  g_free (self->path);

  G_OBJECT_CLASS (pd_ledger_parent_class)->finalize (object);
}

static void
pd_ledger_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdLedger *self = PD_LEDGER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_ledger_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdLedger *self = PD_LEDGER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_ledger_class_init (PdLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_ledger_constructed;
  object_class->finalize = pd_ledger_finalize;
  object_class->get_property = pd_ledger_get_property;
  object_class->set_property = pd_ledger_set_property;

  /* The database file; NULL at construction means pd_ledger_get_default_path(). */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_ledger_init (PdLedger *self)
{
}

char *
pd_ledger_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "paydesk", "ledger.db", NULL);
}

void
pd_ledger_new_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_async_initable_new_async (PD_TYPE_LEDGER, G_PRIORITY_DEFAULT, cancellable, callback, user_data,
                              "path", path,
                              NULL);
}

PdLedger *
pd_ledger_new_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);
  GObject *ledger = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);

  return ledger != NULL ? PD_LEDGER (ledger) : NULL;
}

PdLedger *
pd_ledger_new_sync (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return g_initable_new (PD_TYPE_LEDGER, cancellable, error,
                         "path", path,
                         NULL);
}

const char *
pd_ledger_get_path (PdLedger *self)
{
  g_return_val_if_fail (PD_IS_LEDGER (self), NULL);

  return self->path;
}

void
pd_ledger_close_async (PdLedger            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PD_IS_LEDGER (self));

  job = job_new (op_close, args_new (), NULL, FALSE, cancellable);
  job->returns_boolean = TRUE;
  queue_async (self, job, pd_ledger_close_async, callback, user_data);
}

gboolean
pd_ledger_close_finish (PdLedger      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PD_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_ledger_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pd_ledger_close_sync (PdLedger      *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (PD_IS_LEDGER (self), FALSE);

  return queue_sync (self, job_new (op_close, args_new (), NULL, FALSE, cancellable), NULL, error);
}

static PdLedgerArgs *
args_new_for_transactions (GPtrArray  *transactions,
                           const char *source)
{
  PdLedgerArgs *args = args_new ();

  args->objects = g_ptr_array_new_full (transactions->len, g_object_unref);
  for (guint i = 0; i < transactions->len; i++)
    g_ptr_array_add (args->objects, pd_transaction_copy (transactions->pdata[i]));
  args->text = g_strdup (source);

  return args;
}

void
pd_ledger_upsert_transaction_async (PdLedger            *self,
                                    PdTransaction       *transaction,
                                    const char          *source,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PdLedgerArgs *args;

  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (PD_IS_TRANSACTION (transaction));

  args = args_new_for_object (pd_transaction_copy (transaction));
  args->text = g_strdup (source);
  queue_async (self,
               job_new (pd_ledger_op_upsert_transactions, args, (GDestroyNotify) g_ptr_array_unref, FALSE, cancellable),
               pd_ledger_upsert_transaction_async, callback, user_data);
}

PdTransaction *
pd_ledger_upsert_transaction_finish (PdLedger      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_autoptr(GPtrArray) stored = finish_pointer (self, result, pd_ledger_upsert_transaction_async, error);

  return stored != NULL ? g_object_ref (stored->pdata[0]) : NULL;
}

void
pd_ledger_upsert_transactions_async (PdLedger            *self,
                                     GPtrArray           *transactions,
                                     const char          *source,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (transactions != NULL);

  queue_async (self,
               job_new (pd_ledger_op_upsert_transactions, args_new_for_transactions (transactions, source),
                        (GDestroyNotify) g_ptr_array_unref, FALSE, cancellable),
               pd_ledger_upsert_transactions_async, callback, user_data);
}

GPtrArray *
pd_ledger_upsert_transactions_finish (PdLedger      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, pd_ledger_upsert_transactions_async, error);
}

GPtrArray *
pd_ledger_upsert_transactions_sync (PdLedger      *self,
                                    GPtrArray     *transactions,
                                    const char    *source,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  gpointer stored = NULL;

  g_return_val_if_fail (PD_IS_LEDGER (self), NULL);
  g_return_val_if_fail (transactions != NULL, NULL);

  if (!queue_sync (self,
                   job_new (pd_ledger_op_upsert_transactions, args_new_for_transactions (transactions, source),
                            (GDestroyNotify) g_ptr_array_unref, FALSE, cancellable),
                   &stored, error))
    return NULL;

  return stored;
}

static void
queue_lookup (PdLedger            *self,
              PdLedgerOp           op,
              GDestroyNotify       result_free,
              const char          *account_id,
              const char          *key,
              GCancellable        *cancellable,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  PdLedgerArgs *args = args_new ();

  args->account_id = g_strdup (account_id);
  args->key = g_strdup (key);
  queue_async (self, job_new (op, args, result_free, TRUE, cancellable), source_tag, callback, user_data);
}

void
pd_ledger_find_transaction_async (PdLedger            *self,
                                  const char          *account_id,
                                  const char          *reference,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL && reference != NULL);

  queue_lookup (self, pd_ledger_op_find_transaction, g_object_unref, account_id, reference, cancellable,
                pd_ledger_find_transaction_async, callback, user_data);
}

PdTransaction *
pd_ledger_find_transaction_finish (PdLedger      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, pd_ledger_find_transaction_async, error);
}

void
pd_ledger_find_by_order_id_async (PdLedger            *self,
                                  const char          *account_id,
                                  const char          *order_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL && order_id != NULL);

  queue_lookup (self, pd_ledger_op_find_by_order_id, g_object_unref, account_id, order_id, cancellable,
                pd_ledger_find_by_order_id_async, callback, user_data);
}

PdTransaction *
pd_ledger_find_by_order_id_finish (PdLedger      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, pd_ledger_find_by_order_id_async, error);
}

void
pd_ledger_add_event_async (PdLedger            *self,
                           const char          *account_id,
                           const char          *reference,
                           PdLedgerEventKind    kind,
                           const char          *note,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  PdLedgerArgs *args;

  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (kind <= PD_LEDGER_EVENT_NOTE);

  args = args_new ();
  args->account_id = g_strdup (account_id);
  args->key = g_strdup (reference);
  args->kind = kind;
  args->text = g_strdup (note);
  queue_async (self, job_new (pd_ledger_op_add_event, args, g_object_unref, FALSE, cancellable),
               pd_ledger_add_event_async, callback, user_data);
}

PdLedgerEvent *
pd_ledger_add_event_finish (PdLedger      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, pd_ledger_add_event_async, error);
}

void
pd_ledger_list_events_async (PdLedger            *self,
                             const char          *account_id,
                             const char          *reference,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL && reference != NULL);

  queue_lookup (self, pd_ledger_op_list_events, g_object_unref, account_id, reference, cancellable,
                pd_ledger_list_events_async, callback, user_data);
}

GListModel *
pd_ledger_list_events_finish (PdLedger      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, pd_ledger_list_events_async, error);
}

void
pd_ledger_record_refund_async (PdLedger            *self,
                               PdRefund            *refund,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (PD_IS_REFUND (refund));

  queue_async (self,
               job_new (pd_ledger_op_record_refund, args_new_for_object (pd_refund_copy (refund)),
                        g_object_unref, FALSE, cancellable),
               pd_ledger_record_refund_async, callback, user_data);
}

PdRefund *
pd_ledger_record_refund_finish (PdLedger      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, pd_ledger_record_refund_async, error);
}

void
pd_ledger_list_refunds_async (PdLedger            *self,
                              const char          *account_id,
                              const char          *reference,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL && reference != NULL);

  queue_lookup (self, pd_ledger_op_list_refunds, g_object_unref, account_id, reference, cancellable,
                pd_ledger_list_refunds_async, callback, user_data);
}

GListModel *
pd_ledger_list_refunds_finish (PdLedger      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, pd_ledger_list_refunds_async, error);
}

void
pd_ledger_upsert_payment_link_async (PdLedger            *self,
                                     PdPaymentLink       *link,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (PD_IS_PAYMENT_LINK (link));

  queue_async (self,
               job_new (pd_ledger_op_upsert_payment_link, args_new_for_object (pd_payment_link_copy (link)),
                        g_object_unref, FALSE, cancellable),
               pd_ledger_upsert_payment_link_async, callback, user_data);
}

PdPaymentLink *
pd_ledger_upsert_payment_link_finish (PdLedger      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, pd_ledger_upsert_payment_link_async, error);
}

void
pd_ledger_list_payment_links_async (PdLedger            *self,
                                    const char          *account_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL);

  queue_lookup (self, pd_ledger_op_list_payment_links, g_object_unref, account_id, NULL, cancellable,
                pd_ledger_list_payment_links_async, callback, user_data);
}

GListModel *
pd_ledger_list_payment_links_finish (PdLedger      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_pointer (self, result, pd_ledger_list_payment_links_async, error);
}

void
pd_ledger_upsert_subscription_async (PdLedger            *self,
                                     PdSubscription      *subscription,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (PD_IS_SUBSCRIPTION (subscription));

  queue_async (self,
               job_new (pd_ledger_op_upsert_subscription, args_new_for_object (pd_subscription_copy (subscription)),
                        g_object_unref, FALSE, cancellable),
               pd_ledger_upsert_subscription_async, callback, user_data);
}

PdSubscription *
pd_ledger_upsert_subscription_finish (PdLedger      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, pd_ledger_upsert_subscription_async, error);
}

void
pd_ledger_list_subscriptions_async (PdLedger            *self,
                                    const char          *account_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL);

  queue_lookup (self, pd_ledger_op_list_subscriptions, g_object_unref, account_id, NULL, cancellable,
                pd_ledger_list_subscriptions_async, callback, user_data);
}

GListModel *
pd_ledger_list_subscriptions_finish (PdLedger      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_pointer (self, result, pd_ledger_list_subscriptions_async, error);
}

void
pd_ledger_list_unsettled_async (PdLedger            *self,
                                const char          *account_id,
                                guint                max,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PdLedgerArgs *args;

  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (account_id != NULL);

  args = args_new ();
  args->account_id = g_strdup (account_id);
  args->limit = max;
  queue_async (self, job_new (pd_ledger_op_list_unsettled, args, g_object_unref, TRUE, cancellable),
               pd_ledger_list_unsettled_async, callback, user_data);
}

GListModel *
pd_ledger_list_unsettled_finish (PdLedger      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, pd_ledger_list_unsettled_async, error);
}

static PdLedgerArgs *
args_new_for_filter (PdLedgerFilter *filter,
                     guint           offset,
                     guint           limit)
{
  PdLedgerArgs *args = args_new ();

  args->filter = pd_ledger_filter_copy (filter);
  args->offset = offset;
  args->limit = limit;

  return args;
}

void
pd_ledger_query_async (PdLedger            *self,
                       PdLedgerFilter      *filter,
                       guint                offset,
                       guint                limit,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (filter != NULL);

  queue_async (self,
               job_new (pd_ledger_op_query, args_new_for_filter (filter, offset, limit), g_object_unref, TRUE,
                        cancellable),
               pd_ledger_query_async, callback, user_data);
}

GListModel *
pd_ledger_query_finish (PdLedger      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish_pointer (self, result, pd_ledger_query_async, error);
}

GListModel *
pd_ledger_query_sync (PdLedger        *self,
                      PdLedgerFilter  *filter,
                      guint            offset,
                      guint            limit,
                      GCancellable    *cancellable,
                      GError         **error)
{
  gpointer page = NULL;

  g_return_val_if_fail (PD_IS_LEDGER (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!queue_sync (self,
                   job_new (pd_ledger_op_query, args_new_for_filter (filter, offset, limit), g_object_unref, TRUE,
                            cancellable),
                   &page, error))
    return NULL;

  return page;
}

void
pd_ledger_count_async (PdLedger            *self,
                       PdLedgerFilter      *filter,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (PD_IS_LEDGER (self));
  g_return_if_fail (filter != NULL);

  queue_async (self,
               job_new (pd_ledger_op_count, args_new_for_filter (filter, 0, 0), g_free, TRUE, cancellable),
               pd_ledger_count_async, callback, user_data);
}

gint64
pd_ledger_count_finish (PdLedger      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_autofree gint64 *count = finish_pointer (self, result, pd_ledger_count_async, error);

  return count != NULL ? *count : -1;
}

gint64
pd_ledger_count_sync (PdLedger        *self,
                      PdLedgerFilter  *filter,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autofree gint64 *count = NULL;

  g_return_val_if_fail (PD_IS_LEDGER (self), -1);
  g_return_val_if_fail (filter != NULL, -1);

  if (!queue_sync (self,
                   job_new (pd_ledger_op_count, args_new_for_filter (filter, 0, 0), g_free, TRUE, cancellable),
                   (gpointer *) &count, error))
    return -1;

  return *count;
}

gboolean
pd_ledger_set_max_pages_sync (PdLedger  *self,
                              guint      max_pages,
                              GError   **error)
{
  PdLedgerArgs *args;

  g_return_val_if_fail (PD_IS_LEDGER (self), FALSE);

  args = args_new ();
  args->limit = max_pages;

  return queue_sync (self, job_new (op_set_max_pages, args, NULL, FALSE, NULL), NULL, error);
}
