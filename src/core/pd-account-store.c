/* pd-account-store.c: accounts in a key file, their API keys in the keyring
 *
 * The non-secret fields of every account live in one GKeyFile
 * (<user config dir>/paydesk/accounts.ini, mode 0600, replaced atomically),
 * one group per account id. The API key and API secret live only in the
 * keyring, through libsecret's password API (which also reaches the Secret
 * portal inside Flatpak), under PD_ACCOUNT_SECRET_SCHEMA_NAME.
 *
 * No account is ever half-saved: the keyring is changed first, then the key
 * file; if the key file cannot be written, the keyring is put back as it was.
 * Keyring work is asynchronous on the caller's main context and bounded by
 * a deadline so that an unanswered unlock prompt cannot hang the app; key
 * file work runs in a GTask thread.
 */
#define G_LOG_DOMAIN "pd-account-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-account-file.h"
#include "pd-account-store.h"
#include "pd-keyring.h"

/* Long enough for a person to type the keyring password into a prompt. */
#define DEFAULT_KEYRING_TIMEOUT 120

/* PdAccountStore ---------------------------------------------------------- */

struct _PdAccountStore
{
  GObject     parent_instance;

  char       *path;
  GListStore *accounts;
  guint       keyring_timeout;

  /* Worker threads take turns reading and replacing the key file. */
  GMutex      file_lock;
};

G_DEFINE_TYPE (PdAccountStore, pd_account_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_ACCOUNTS,
  PROP_KEYRING_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pd_account_store_constructed (GObject *object)
{
  PdAccountStore *self = PD_ACCOUNT_STORE (object);

  G_OBJECT_CLASS (pd_account_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_config_dir (), "paydesk", "accounts.ini", NULL);
}

static void
pd_account_store_finalize (GObject *object)
{
  PdAccountStore *self = PD_ACCOUNT_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->accounts);
  g_mutex_clear (&self->file_lock);

  G_OBJECT_CLASS (pd_account_store_parent_class)->finalize (object);
}

static void
pd_account_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PdAccountStore *self = PD_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_KEYRING_TIMEOUT:
      g_value_set_uint (value, self->keyring_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PdAccountStore *self = PD_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_KEYRING_TIMEOUT:
      pd_account_store_set_keyring_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_store_class_init (PdAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_account_store_constructed;
  object_class->finalize = pd_account_store_finalize;
  object_class->get_property = pd_account_store_get_property;
  object_class->set_property = pd_account_store_set_property;

  /* The key file; NULL means <user config dir>/paydesk/accounts.ini. */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* The saved accounts (PdAccount), kept up to date by load, add, update and remove. */
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /* Seconds a keyring call (an unlock prompt included) may take. */
  properties[PROP_KEYRING_TIMEOUT] =
    g_param_spec_uint ("keyring-timeout", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_KEYRING_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_account_store_init (PdAccountStore *self)
{
  self->accounts = g_list_store_new (PD_TYPE_ACCOUNT);
  self->keyring_timeout = DEFAULT_KEYRING_TIMEOUT;
  g_mutex_init (&self->file_lock);
}

/**
 * pd_account_store_new:
 * @path: (nullable): the key file; %NULL for the user's config dir
 */
PdAccountStore *
pd_account_store_new (const char *path)
{
  return g_object_new (PD_TYPE_ACCOUNT_STORE, "path", path, NULL);
}

const char *
pd_account_store_get_path (PdAccountStore *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (self), NULL);

  return self->path;
}

/**
 * pd_account_store_get_accounts:
 * @self: a store
 *
 * Returns: (transfer none): the saved accounts, a list the views can bind;
 *   empty until pd_account_store_load_async() completes
 */
GListModel *
pd_account_store_get_accounts (PdAccountStore *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/* The listed account with @account_id (borrowed from the list) and its position. */
static PdAccount *
find_listed (PdAccountStore *self,
             const char     *account_id,
             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (pd_account_get_id (account), account_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return account;
        }
    }
  return NULL;
}

/**
 * pd_account_store_find:
 * @self: a store
 * @account_id: an account id
 *
 * Returns: (transfer none) (nullable): the saved account with that id
 */
PdAccount *
pd_account_store_find (PdAccountStore *self,
                       const char     *account_id)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  return find_listed (self, account_id, NULL);
}

guint
pd_account_store_get_keyring_timeout (PdAccountStore *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (self), 0);

  return self->keyring_timeout;
}

/**
 * pd_account_store_set_keyring_timeout:
 * @self: a store
 * @seconds: how long one operation may wait for the keyring
 *
 * When the keyring does not answer in time (an unlock prompt nobody
 * answers), the operation ends with %PD_ACCOUNT_ERROR_KEYRING_LOCKED.
 */
void
pd_account_store_set_keyring_timeout (PdAccountStore *self,
                                      guint           seconds)
{
  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (seconds > 0);

  if (self->keyring_timeout == seconds)
    return;
  self->keyring_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_TIMEOUT]);
}

/* The key file ---------------------------------------------------------------- */

static void
file_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PdAccountStore *self = source_object;
  GError *error = NULL;

  if (pd_account_file_apply (self->path, &self->file_lock, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PdAccountStore *self = source_object;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) groups = NULL;
  GError *error = NULL;

  g_mutex_lock (&self->file_lock);
  if (!pd_account_file_read (self->path, key_file, &error))
    {
      g_mutex_unlock (&self->file_lock);
      g_task_return_error (task, error);
      return;
    }
  g_mutex_unlock (&self->file_lock);

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      PdAccount *account = pd_account_file_to_account (key_file, groups[i]);

      if (account != NULL)
        g_ptr_array_add (accounts, account);
    }
  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

/* Operations ---------------------------------------------------------------- */

typedef enum
{
  OP_ADD,
  OP_UPDATE,
  OP_REMOVE,
  OP_LOOKUP,
} OpKind;

/* libsecret gets this long to honour a cancellation before it is given up on. */
#define KEYRING_GRACE_SECONDS 5

/* The state of one public operation, the task data of its GTask. */
typedef struct
{
  GTask            *task;         /* the operation's own task, borrowed */
  OpKind            kind;
  PdAccount        *account;
  char             *account_id;
  char             *name;
  PdMode            mode;         /* what the key file and, on success, the account get */
  PdAccountSecrets *secrets;      /* what the keyring is to hold; NULL leaves it alone */
  PdAccountSecrets *previous;     /* what the keyring held, put back on failure */
  PdAccountFileJob *file_job;
  GCancellable     *cancellable;  /* for keyring calls: the caller's, or the deadline */
  GCancellable     *caller;
  gulong            caller_handler;
  GSource          *deadline;
  gboolean          grace;        /* the deadline passed and the keyring call was cancelled */
  gboolean          finished;     /* the task has returned; late keyring answers are ignored */
  GError           *error;        /* the failure being rolled back */
} Op;

static void
caller_cancelled (GCancellable *caller,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
op_disarm_deadline (Op *op)
{
  if (op->caller != NULL)
    g_cancellable_disconnect (op->caller, op->caller_handler);
  op->caller_handler = 0;
  g_clear_object (&op->caller);
  if (op->deadline != NULL)
    g_source_destroy (op->deadline);
  g_clear_pointer (&op->deadline, g_source_unref);
  g_clear_object (&op->cancellable);
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  Op *op = g_task_get_task_data (task);

  op->finished = TRUE;
  op_disarm_deadline (op);
  g_task_return_error (task, error);
}

static void
op_return_result (GTask            *task,
                  PdAccountSecrets *secrets)
{
  Op *op = g_task_get_task_data (task);

  op->finished = TRUE;
  op_disarm_deadline (op);
  if (secrets != NULL)
    g_task_return_pointer (task, secrets, (GDestroyNotify) pd_account_secrets_free);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean deadline_passed (gpointer user_data);

static void
op_start_timer (Op    *op,
                guint  seconds)
{
  op->deadline = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (op->deadline, deadline_passed, op->task, NULL);
  g_source_attach (op->deadline, g_main_context_get_thread_default ());
}

/* First the keyring call is cancelled; a libsecret call that ignores that
 * (a lost prompt) is then given up on, so the operation always ends. */
static gboolean
deadline_passed (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error;

  g_clear_pointer (&op->deadline, g_source_unref);
  if (!op->grace)
    {
      op->grace = TRUE;
      g_cancellable_cancel (op->cancellable);
      op_start_timer (op, KEYRING_GRACE_SECONDS);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Keyring: giving up on a call that never returned, account %s", op->account_id);
  if (pd_keyring_caller_has_cancelled (task))
    error = pd_keyring_cancelled_error ();
  else if (op->error != NULL)
    error = g_steal_pointer (&op->error);
  else
    error = pd_keyring_locked_error ();
  op_return_error (task, error);
  return G_SOURCE_REMOVE;
}

/* Gives @op a keyring cancellable that fires when @caller does or when the
 * store's keyring timeout passes, whichever comes first. */
static void
op_arm_deadline (Op             *op,
                 PdAccountStore *self,
                 GCancellable   *caller)
{
  op->cancellable = g_cancellable_new ();
  op->grace = FALSE;
  op_start_timer (op, self->keyring_timeout);
  if (caller != NULL)
    {
      op->caller = g_object_ref (caller);
      op->caller_handler = g_cancellable_connect (caller, G_CALLBACK (caller_cancelled),
                                                  g_object_ref (op->cancellable), g_object_unref);
    }
}

static void
op_free (Op *op)
{
  op_disarm_deadline (op);
  g_clear_object (&op->account);
  g_free (op->account_id);
  g_free (op->name);
  g_clear_pointer (&op->secrets, pd_account_secrets_free);
  g_clear_pointer (&op->previous, pd_account_secrets_free);
  g_clear_pointer (&op->file_job, pd_account_file_job_free);
  g_clear_error (&op->error);
  g_free (op);
}

static GTask *
op_task_new (PdAccountStore      *self,
             OpKind               kind,
             PdAccount           *account,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  /* A change reports what happened, even when cancelled too late to stop it. */
  g_task_set_check_cancellable (task, kind == OP_LOOKUP);

  op->task = task;
  op->kind = kind;
  op->account = g_object_ref (account);
  op->account_id = g_strdup (pd_account_get_id (account));
  op->name = g_strdup (pd_account_get_display_name (account));
  op->mode = pd_account_get_mode (account);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  op_arm_deadline (op, self, cancellable);
  return task;
}

/* The task of a keyring answer, or NULL when the operation already ended. */
static GTask *
op_task_if_running (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);

  if (!op->finished)
    return task;
  g_object_unref (task);
  return NULL;
}

static gboolean
check_secrets (PdAccount         *account,
               PdAccountSecrets  *secrets,
               GError           **error)
{
  if (secrets->values[0] == NULL)
    return pd_account_file_invalid (error, _("Enter the account’s API key."));
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE && secrets->values[1] == NULL)
    return pd_account_file_invalid (error, _("PesoGate needs both the API key and the API secret. Enter the API secret too."));
  return TRUE;
}

/* Keeps what goes to the keyring (PaysGator has no API secret) and the mode
 * a PaysGator key implies. */
static void
op_take_secrets (Op                     *op,
                 const PdAccountSecrets *secrets)
{
  op->secrets = pd_account_secrets_copy (secrets);
  if (pd_account_get_gateway (op->account) == PD_GATEWAY_PAYSGATOR)
    {
      g_clear_pointer (&op->secrets->values[1], pd_keyring_wipe_value);
      pd_account_mode_from_paysgator_key (pd_account_secrets_get_api_key (op->secrets), &op->mode);
    }
}

static void
op_set_file_job (Op                  *op,
                 PdAccountFileChange  change)
{
  op->file_job = g_new0 (PdAccountFileJob, 1);
  op->file_job->change = change;
  op->file_job->account_id = g_strdup (op->account_id);
  if (change != PD_ACCOUNT_FILE_REMOVE)
    op->file_job->fields = pd_account_file_from_account (op->account, op->mode);
  op->file_job->secrets_given = op->secrets != NULL;
}

static void
rolled_back (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  Op *op;
  g_autoptr(GError) error = NULL;

  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  if (!pd_keyring_put_finish (result, &error))
    g_warning ("Could not put the keyring back after a failed change to account %s: %s",
               op->account_id, error->message);
  op_return_error (task, g_steal_pointer (&op->error));
}

/* Takes @task and @error: puts back what the keyring held, then fails with
 * @error. Without a keyring there is nothing to put back. */
static void
op_fail_and_roll_back (GTask  *task,
                       GError *error)
{
  PdAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (op->previous == NULL || g_error_matches (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE))
    {
      op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  op->error = error;
  /* The caller may have cancelled: the rollback is bound by the deadline alone. */
  op_disarm_deadline (op);
  op_arm_deadline (op, self, NULL);
  pd_keyring_put_async (op->account_id, op->name, op->previous, op->cancellable, rolled_back, task);
}

static void
change_file_written (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  PdAccount *listed;
  GError *error = NULL;
  guint position;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      op_fail_and_roll_back (g_steal_pointer (&task), error);
      return;
    }

  listed = find_listed (self, op->account_id, &position);
  switch (op->kind)
    {
    case OP_ADD:
      pd_account_set_mode (op->account, op->mode);
      g_list_store_append (self->accounts, op->account);
      break;
    case OP_UPDATE:
      pd_account_set_mode (op->account, op->mode);
      if (listed != NULL && listed != op->account)
        g_list_store_splice (self->accounts, position, 1, (gpointer *) &op->account, 1);
      break;
    case OP_REMOVE:
      if (listed != NULL)
        g_list_store_remove (self->accounts, position);
      break;
    case OP_LOOKUP:
    default:
      g_assert_not_reached ();
    }
  op_return_result (task, NULL);
}

/* Takes @task: the key file is changed in a worker thread, which the
 * keyring deadline does not cover. */
static void
change_key_file (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GTask) file_task = g_task_new (g_task_get_source_object (task), NULL, change_file_written, task);

  if (op->deadline != NULL)
    g_source_destroy (op->deadline);
  g_clear_pointer (&op->deadline, g_source_unref);
  g_task_set_source_tag (file_task, change_key_file);
  g_task_set_task_data (file_task, op->file_job, NULL);
  g_task_run_in_thread (file_task, file_job_thread);
}

static void
change_secrets_written (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  GError *error = NULL;

  if (task == NULL)
    return;
  if (!pd_keyring_put_finish (result, &error))
    {
      error = pd_keyring_error (task, error);
      op_fail_and_roll_back (g_steal_pointer (&task), error);
      return;
    }
  change_key_file (g_steal_pointer (&task));
}

static void
change_previous_read (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  Op *op;
  GError *error = NULL;

  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  op->previous = pd_keyring_get_finish (result, &error);
  if (op->previous == NULL)
    {
      op_return_error (task, pd_keyring_error (task, error));
      return;
    }
  pd_keyring_put_async (op->account_id, op->name, op->secrets, op->cancellable,
                        change_secrets_written, g_steal_pointer (&task));
}

static void
change_unlocked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  Op *op;
  GError *error = NULL;

  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  if (!pd_keyring_unlock_finish (result, &error))
    {
      op_return_error (task, pd_keyring_error (task, error));
      return;
    }
  pd_keyring_get_async (op->account_id, op->cancellable, change_previous_read, g_steal_pointer (&task));
}

/* Takes @task: the keyring first (unlocked, read for a rollback, changed)
 * when there are secrets to change, then the key file. */
static void
change_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->secrets == NULL)
    change_key_file (task);
  else
    pd_keyring_unlock_async (op->account_id, op->cancellable, change_unlocked, task);
}

/* Load ------------------------------------------------------------------------ */

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdAccountStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) accounts = NULL;
  GError *error = NULL;

  accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       accounts->pdata, accounts->len);
  g_task_return_pointer (task, g_object_ref (self->accounts), g_object_unref);
}

/**
 * pd_account_store_load_async:
 * @self: a store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the accounts are loaded
 * @user_data: data for @callback
 *
 * Reads the key file off the main thread and replaces the contents of
 * pd_account_store_get_accounts(). A missing file means no accounts.
 * Groups that are not accounts of a known gateway are skipped.
 */
void
pd_account_store_load_async (PdAccountStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) file_task = NULL;

  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_account_store_load_async);

  file_task = g_task_new (self, NULL, load_done, g_steal_pointer (&task));
  g_task_set_source_tag (file_task, load_thread);
  g_task_run_in_thread (file_task, load_thread);
}

/**
 * pd_account_store_load_finish:
 * @self: a store
 * @result: the result
 * @error: return location for an error (%PD_ACCOUNT_ERROR_IO)
 *
 * Returns: (transfer full): the same list as pd_account_store_get_accounts()
 */
GListModel *
pd_account_store_load_finish (PdAccountStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_store_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Add ------------------------------------------------------------------------- */

/**
 * pd_account_store_add_async:
 * @self: a store
 * @account: a new account
 * @secrets: its API key, and for PesoGate its API secret
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is saved or nothing was
 * @user_data: data for @callback
 *
 * Validates, stores the secrets in the keyring, then adds the account to the
 * key file and to the list. For PaysGator the mode follows the key's
 * `live_`/`test_` prefix. On any failure nothing is left behind: the keyring
 * is put back as it was.
 */
void
pd_account_store_add_async (PdAccountStore      *self,
                            PdAccount           *account,
                            PdAccountSecrets    *secrets,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (secrets != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_ADD, account, cancellable, callback, user_data, pd_account_store_add_async);

  if (!pd_account_validate (account, &error) || !check_secrets (account, secrets, &error))
    {
      op_return_error (task, error);
      return;
    }
  if (find_listed (self, pd_account_get_id (account), NULL) != NULL)
    {
      pd_account_file_invalid (&error, _("This account is already saved. Edit it instead of adding it again."));
      op_return_error (task, error);
      return;
    }

  op = g_task_get_task_data (task);
  op_take_secrets (op, secrets);
  op_set_file_job (op, PD_ACCOUNT_FILE_ADD);
  change_start (g_steal_pointer (&task));
}

gboolean
pd_account_store_add_finish (PdAccountStore  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_store_add_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Update ---------------------------------------------------------------------- */

/**
 * pd_account_store_update_async:
 * @self: a store
 * @account: a saved account with changed fields, best a pd_account_copy()
 *   of the listed one; on success it replaces that one in the list
 * @secrets: (nullable): new secrets, or %NULL to keep the stored ones
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the change is saved or nothing was
 * @user_data: data for @callback
 *
 * With @secrets, the keyring is changed first and put back if the key file
 * cannot be written. Changing the gateway needs new secrets.
 */
void
pd_account_store_update_async (PdAccountStore      *self,
                               PdAccount           *account,
                               PdAccountSecrets    *secrets,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_UPDATE, account, cancellable, callback, user_data, pd_account_store_update_async);

  if (!pd_account_validate (account, &error) ||
      (secrets != NULL && !check_secrets (account, secrets, &error)))
    {
      op_return_error (task, error);
      return;
    }
  if (find_listed (self, pd_account_get_id (account), NULL) == NULL)
    {
      op_return_error (task, g_error_new_literal (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND,
                                                  _("This account is no longer saved. Reload the accounts, then try again.")));
      return;
    }

  op = g_task_get_task_data (task);
  if (secrets != NULL)
    op_take_secrets (op, secrets);
  op_set_file_job (op, PD_ACCOUNT_FILE_UPDATE);
  change_start (g_steal_pointer (&task));
}

gboolean
pd_account_store_update_finish (PdAccountStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_store_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Remove ---------------------------------------------------------------------- */

/**
 * pd_account_store_remove_async:
 * @self: a store
 * @account: a saved account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the account is removed or nothing was
 * @user_data: data for @callback
 *
 * Deletes the account's secrets from the keyring, then its entry in the key
 * file, then drops it from the list. If the key file cannot be written the
 * secrets are stored again.
 */
void
pd_account_store_remove_async (PdAccountStore      *self,
                               PdAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_REMOVE, account, cancellable, callback, user_data, pd_account_store_remove_async);
  op = g_task_get_task_data (task);
  /* Holding no secrets at all is what the keyring is to end up with. */
  op->secrets = g_new0 (PdAccountSecrets, 1);
  op_set_file_job (op, PD_ACCOUNT_FILE_REMOVE);
  change_start (g_steal_pointer (&task));
}

gboolean
pd_account_store_remove_finish (PdAccountStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_store_remove_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup ---------------------------------------------------------------------- */

static void
lookup_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  g_autoptr(PdAccountSecrets) secrets = NULL;
  Op *op;
  GError *error = NULL;

  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  secrets = pd_keyring_get_finish (result, &error);
  if (secrets == NULL)
    {
      op_return_error (task, pd_keyring_error (task, error));
      return;
    }
  if (secrets->values[0] == NULL)
    {
      op_return_error (task, g_error_new (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND,
                                          _("No API key for “%s” is in the keyring. Edit the account and enter its API key again."),
                                          op->name ? op->name : ""));
      return;
    }
  op_return_result (task, g_steal_pointer (&secrets));
}

static void
lookup_unlocked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = op_task_if_running (user_data);
  Op *op;
  GError *error = NULL;

  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  if (!pd_keyring_unlock_finish (result, &error))
    {
      op_return_error (task, pd_keyring_error (task, error));
      return;
    }
  pd_keyring_get_async (op->account_id, op->cancellable, lookup_read, g_steal_pointer (&task));
}

/**
 * pd_account_store_lookup_secrets_async:
 * @self: a store
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the secrets or an error
 * @user_data: data for @callback
 *
 * Reads the account's API key and secret from the keyring, asking to unlock
 * it if needed. %PD_ACCOUNT_ERROR_NOT_FOUND when no API key is stored.
 */
void
pd_account_store_lookup_secrets_async (PdAccountStore      *self,
                                       PdAccount           *account,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (PD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_task_new (self, OP_LOOKUP, account, cancellable, callback, user_data,
                      pd_account_store_lookup_secrets_async);
  op = g_task_get_task_data (task);
  pd_keyring_unlock_async (op->account_id, op->cancellable, lookup_unlocked, task);
}

/**
 * pd_account_store_lookup_secrets_finish:
 * @self: a store
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the secrets; free them with
 *   pd_account_secrets_free() as soon as the request that needs them is sent
 */
PdAccountSecrets *
pd_account_store_lookup_secrets_finish (PdAccountStore  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_store_lookup_secrets_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
