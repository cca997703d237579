/* pd-application-sessions.c: PdApplication's ledger and its cache of open sessions
 *
 * The ledger opens in the background at start-up; sessions asked for before
 * it is open wait for it. When it cannot be opened the app runs without
 * history, and says so. A session is cached per account id and dropped when
 * the account is changed or removed; a dropped session stops refreshing.
 */
#define G_LOG_DOMAIN "pd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-application-private.h"

/* The ledger ------------------------------------------------------------------- */

static void start_open (PdApplication *self,
                        GTask         *task);

void
pd_application_show_ledger_error (PdApplication *self)
{
  PdWindow *window = pd_application_get_main_window (self);
  g_autofree char *detail = NULL;

  if (window == NULL || self->ledger_error == NULL)
    return;
  detail = g_steal_pointer (&self->ledger_error);
  pd_window_show_error (window, _("Your transaction history could not be opened, so payments are not remembered"),
                        detail);
}

void
pd_application_ledger_opened_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PdApplication) self = g_weak_ref_get (ref);
  g_autoptr(PdLedger) ledger = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  pd_application_weak_ref_free (ref);
  ledger = pd_ledger_new_finish (result, &error);
  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->ledger_done = TRUE;
  if (ledger == NULL)
    {
      g_autofree char *path = self->ledger_path ? g_strdup (self->ledger_path) : pd_ledger_get_default_path ();

      /* Translators: the first %s is why, the second the file's path */
      self->ledger_error = g_strdup_printf (_("%s (%s)"), error->message, path);
      pd_application_show_ledger_error (self);
    }
  else
    {
      self->ledger = g_steal_pointer (&ledger);
      g_object_notify_by_pspec (G_OBJECT (self), pd_application_properties[PROP_LEDGER]);
    }

  waiting = g_steal_pointer (&self->waiting_for_ledger);
  self->waiting_for_ledger = g_ptr_array_new_with_free_func (g_object_unref);
  /* Each task goes on to start_open(), which takes it. */
  g_ptr_array_set_free_func (waiting, NULL);
  for (guint i = 0; i < waiting->len; i++)
    start_open (self, g_ptr_array_index (waiting, i));

  if (self->demo_import_wanted)
    pd_application_import_demo (self);
}

/* Sessions ----------------------------------------------------------------------- */

void
pd_application_session_entry_free (SessionEntry *entry)
{
  g_clear_signal_handler (&entry->notify_id, entry->account);
  g_binding_unbind (entry->interval_binding);
  /* Whoever still holds it may use it; the account's next session refreshes. */
  pd_account_session_set_refresh_interval (entry->session, 0);
  g_object_unref (entry->session);
  g_object_unref (entry->account);
  g_free (entry->fingerprint);
  g_free (entry);
}

/* What a session is built from (its client, its pacer, the mode it records):
 * a session whose account no longer reads the same is stale. Compared when
 * asked for, so it does not matter whose "notify" handler runs first. */
static char *
dup_session_fingerprint (PdAccount *account)
{
  return g_strdup_printf ("%d %d %u %s", pd_account_get_gateway (account), pd_account_get_mode (account),
                          pd_account_get_rate_limit (account), pd_account_get_base_url (account));
}

static gboolean
session_entry_is_current (SessionEntry *entry)
{
  g_autofree char *fingerprint = dup_session_fingerprint (entry->account);

  return g_str_equal (fingerprint, entry->fingerprint);
}

static void
cached_account_notify_cb (PdAccount  *account,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  PdApplication *self = user_data;
  SessionEntry *entry = g_hash_table_lookup (self->sessions, pd_account_get_id (account));

  if (entry != NULL && !session_entry_is_current (entry))
    g_hash_table_remove (self->sessions, pd_account_get_id (account));
}

/* The store replaces an account's object when it is saved, and drops it when removed. */
void
pd_application_accounts_changed_cb (PdApplication *self)
{
  GHashTableIter iter;
  SessionEntry *entry;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (pd_account_store_find (self->account_store, pd_account_get_id (entry->account)) != entry->account)
      g_hash_table_iter_remove (&iter);
}

static void
cache_session (PdApplication    *self,
               PdAccountSession *session)
{
  SessionEntry *entry = g_new0 (SessionEntry, 1);
  PdAccount *account = pd_account_session_get_account (session);

  entry->session = g_object_ref (session);
  entry->account = g_object_ref (account);
  entry->fingerprint = dup_session_fingerprint (account);
  entry->notify_id = g_signal_connect (account, "notify", G_CALLBACK (cached_account_notify_cb), self);
  entry->interval_binding = g_object_bind_property (self->settings, "refresh-interval",
                                                    session, "refresh-interval",
                                                    G_BINDING_SYNC_CREATE);
  g_hash_table_replace (self->sessions, g_strdup (pd_account_get_id (account)), entry);
}

static void
pending_open_clear (PendingOpen *pending)
{
  g_weak_ref_clear (&pending->app);
  g_clear_object (&pending->account);
  g_clear_pointer (&pending->tasks, g_ptr_array_unref);
}

void
pd_application_pending_open_unref (PendingOpen *pending)
{
  g_rc_box_release_full (pending, (GDestroyNotify) pending_open_clear);
}

void
pd_application_return_cancelled (GPtrArray *tasks)
{
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_new_error (g_ptr_array_index (tasks, i), G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s", _("Paydesk is closing"));
  if (tasks != NULL)
    g_ptr_array_set_size (tasks, 0);
}

static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PendingOpen *pending = user_data;
  g_autoptr(PdApplication) self = g_weak_ref_get (&pending->app);
  g_autoptr(PdAccountSession) session = NULL;
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&pending->tasks);
  g_autoptr(GError) error = NULL;

  session = pd_account_session_open_finish (result, &error);
  if (self != NULL)
    {
      if (session != NULL && !g_cancellable_is_cancelled (self->cancellable) &&
          pd_account_store_find (self->account_store, pd_account_get_id (pending->account)) == pending->account)
        cache_session (self, session);
      g_ptr_array_remove (self->opening, pending);
    }

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (session != NULL)
        g_task_return_pointer (task, g_object_ref (session), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  pd_application_pending_open_unref (pending);
}

/* Takes @task. */
static void
start_open (PdApplication *self,
            GTask         *task)
{
  PdAccount *account = g_task_get_task_data (task);
  SessionEntry *entry = g_hash_table_lookup (self->sessions, pd_account_get_id (account));
  PendingOpen *pending;

  if (entry != NULL && entry->account == account && session_entry_is_current (entry))
    {
      g_task_return_pointer (task, g_object_ref (entry->session), g_object_unref);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < self->opening->len; i++)
    {
      pending = g_ptr_array_index (self->opening, i);
      if (pending->account == account)
        {
          g_ptr_array_add (pending->tasks, task);
          return;
        }
    }

  pending = g_rc_box_new0 (PendingOpen);
  g_weak_ref_init (&pending->app, self);
  pending->account = g_object_ref (account);
  pending->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pending->tasks, task);
  g_ptr_array_add (self->opening, g_rc_box_acquire (pending));

  pd_account_session_open_async (account, self->account_store, self->ledger, self->cancellable,
                                 session_opened_cb, pending);
}

/**
 * pd_application_open_session_async:
 * @self: the application
 * @account: an account of the application's store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the session is open or could not be
 * @user_data: data for @callback
 *
 * Gives the account's open session: the cached one, or a new one (its
 * secrets from the keyring) once the ledger is open or known to be
 * unavailable. The session refreshes at the settings' interval while it is
 * the account's current one.
 */
void
pd_application_open_session_async (PdApplication       *self,
                                   PdAccount           *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_APPLICATION (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_application_open_session_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Paydesk is closing"));
      g_object_unref (task);
      return;
    }
  if (!self->ledger_done)
    {
      g_ptr_array_add (self->waiting_for_ledger, task);
      return;
    }
  start_open (self, task);
}

/**
 * pd_application_open_session_finish:
 * @self: the application
 * @result: the result
 * @error: return location for an error: %PD_ACCOUNT_ERROR (keyring locked
 *   or unavailable, no secrets) or %PD_GATEWAY_ERROR_INSECURE_URL
 *
 * Returns: (transfer full): the account's session
 */
PdAccountSession *
pd_application_open_session_finish (PdApplication  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_application_open_session_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
