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

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "pd-account-store.h"

/* Long enough for a person to type the keyring password into a prompt. */
#define DEFAULT_KEYRING_TIMEOUT 120

#define N_SECRET_KINDS 2

static const char * const secret_kinds[N_SECRET_KINDS] = { "api-key", "api-secret" };

static const SecretSchema account_schema = {
  PD_ACCOUNT_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* PdAccountSecrets ------------------------------------------------------ */

struct _PdAccountSecrets
{
  /* Indexed like secret_kinds; NULL when absent. Never shared with another
   * owner, so freeing may wipe them. */
  SecretValue *values[N_SECRET_KINDS];
};

G_DEFINE_BOXED_TYPE (PdAccountSecrets, pd_account_secrets, pd_account_secrets_copy, pd_account_secrets_free)

/* A private copy in libsecret's non-pageable memory. */
static SecretValue *
secure_copy (SecretValue *value)
{
  const char *bytes;
  gsize length;

  if (value == NULL)
    return NULL;
  bytes = secret_value_get (value, &length);
  return secret_value_new (bytes, length, secret_value_get_content_type (value));
}

static SecretValue *
secure_value_from_text (const char *text)
{
  const char *end;

  if (text == NULL)
    return NULL;
  /* Pasted keys often carry a stray space or newline. */
  while (g_ascii_isspace (*text))
    text++;
  end = text + strlen (text);
  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  if (end == text)
    return NULL;
  return secret_value_new (text, end - text, "text/plain");
}

static void
wipe_value (SecretValue *value)
{
  const char *bytes;
  gsize length;

  if (value == NULL)
    return;
  /* libsecret wipes its secure pool, but falls back to ordinary memory when
   * mlock is not allowed: clear the bytes ourselves either way. */
  bytes = secret_value_get (value, &length);
  explicit_bzero ((char *) bytes, length);
  secret_value_unref (value);
}

/**
 * pd_account_secrets_new:
 * @api_key: (nullable): the API key as typed or pasted
 * @api_secret: (nullable): the API secret (PesoGate only)
 *
 * Copies both into non-pageable memory, without surrounding white space;
 * empty text counts as absent. Wipe the caller's own copies (for example
 * the password entries) as soon as this returns.
 */
PdAccountSecrets *
pd_account_secrets_new (const char *api_key,
                        const char *api_secret)
{
  PdAccountSecrets *secrets = g_new0 (PdAccountSecrets, 1);

  secrets->values[0] = secure_value_from_text (api_key);
  secrets->values[1] = secure_value_from_text (api_secret);
  return secrets;
}

PdAccountSecrets *
pd_account_secrets_copy (const PdAccountSecrets *secrets)
{
  PdAccountSecrets *copy;

  g_return_val_if_fail (secrets != NULL, NULL);

  copy = g_new0 (PdAccountSecrets, 1);
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    copy->values[i] = secure_copy (secrets->values[i]);
  return copy;
}

/**
 * pd_account_secrets_free:
 * @secrets: (nullable): secrets to wipe and free
 */
void
pd_account_secrets_free (PdAccountSecrets *secrets)
{
  if (secrets == NULL)
    return;
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    wipe_value (secrets->values[i]);
  g_free (secrets);
}

static const char *
secrets_get_text (const PdAccountSecrets *secrets,
                  guint                   kind)
{
  g_return_val_if_fail (secrets != NULL, NULL);

  return secrets->values[kind] ? secret_value_get_text (secrets->values[kind]) : NULL;
}

/**
 * pd_account_secrets_get_api_key:
 * @secrets: secrets
 *
 * Returns: (nullable): the API key; valid until @secrets is freed
 */
const char *
pd_account_secrets_get_api_key (const PdAccountSecrets *secrets)
{
  return secrets_get_text (secrets, 0);
}

/**
 * pd_account_secrets_get_api_secret:
 * @secrets: secrets
 *
 * Returns: (nullable): the API secret; %NULL for PaysGator accounts
 */
const char *
pd_account_secrets_get_api_secret (const PdAccountSecrets *secrets)
{
  return secrets_get_text (secrets, 1);
}

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

/* Errors -------------------------------------------------------------------- */

static GError *
keyring_unavailable_error (void)
{
  return g_error_new_literal (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE,
                              _("Paydesk cannot reach the keyring where API keys are kept. Make sure GNOME Keyring "
                                "or another Secret Service is running (logging out and in again starts it), then try again."));
}

static GError *
keyring_locked_error (void)
{
  return g_error_new_literal (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked. Unlock your keyring in Passwords and Keys, then try again."));
}

static gboolean
is_bus_failure (const GError *error)
{
  /* Connection failures; a remote error GDBus does not know is not one. */
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_DBUS_ERROR;
  if (error->domain != G_DBUS_ERROR)
    return FALSE;
  switch (error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_NO_REPLY:
    case G_DBUS_ERROR_DISCONNECTED:
    case G_DBUS_ERROR_TIMEOUT:
    case G_DBUS_ERROR_TIMED_OUT:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
    }
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
}

static gboolean
caller_has_cancelled (GTask *task)
{
  GCancellable *caller = g_task_get_cancellable (task);

  return caller != NULL && g_cancellable_is_cancelled (caller);
}

/* Turns a libsecret failure into a PD_ACCOUNT_ERROR. A cancellation the
 * caller did not ask for is the deadline or a dismissed unlock prompt. */
static GError *
keyring_error (GTask  *task,
               GError *error)
{
  g_autoptr(GError) owned = error;

  if (caller_has_cancelled (task))
    return cancelled_error ();

  /* libsecret's messages name D-Bus objects, never a secret. */
  g_debug ("Keyring: %s", error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return keyring_locked_error ();
  if (is_bus_failure (error))
    return keyring_unavailable_error ();
  return g_error_new (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_REFUSED,
                      _("The keyring refused the request (%s). Check your keyring in Passwords and Keys, then try again."),
                      error->message);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID, message);
  return FALSE;
}

/* The key file (worker threads only) ------------------------------------------ */

typedef enum
{
  FILE_ADD,
  FILE_UPDATE,
  FILE_REMOVE,
} FileChange;

typedef struct
{
  FileChange  change;
  char       *account_id;
  GKeyFile   *fields;         /* the account's group, for FILE_ADD and FILE_UPDATE */
  gboolean    secrets_given;  /* FILE_UPDATE: new secrets came along */
} FileJob;

static void
file_job_free (FileJob *job)
{
  g_free (job->account_id);
  g_clear_pointer (&job->fields, g_key_file_unref);
  g_free (job);
}

/* A snapshot of the non-secret fields: the worker thread never touches the GObject. */
static GKeyFile *
account_to_key_file (PdAccount *account,
                     PdMode     mode)
{
  GKeyFile *key_file = g_key_file_new ();
  const char *group = pd_account_get_id (account);
  const char * const *providers = pd_account_get_providers (account);
  const char * const *currencies = pd_account_get_currencies (account);
  const char *name = pd_account_get_display_name (account);

  g_key_file_set_string (key_file, group, "name", name ? name : "");
  g_key_file_set_string (key_file, group, "gateway", pd_gateway_to_key (pd_account_get_gateway (account)));
  g_key_file_set_string (key_file, group, "base-url", pd_account_get_base_url (account));
  g_key_file_set_string (key_file, group, "mode", pd_mode_to_key (mode));
  g_key_file_set_uint64 (key_file, group, "rate-limit", pd_account_get_rate_limit (account));
  g_key_file_set_string_list (key_file, group, "providers", providers, g_strv_length ((char **) providers));
  g_key_file_set_boolean (key_file, group, "sandbox", pd_account_get_sandbox (account));
  g_key_file_set_string (key_file, group, "return-url", pd_account_get_return_url (account));
  g_key_file_set_string (key_file, group, "cancel-url", pd_account_get_cancel_url (account));
  g_key_file_set_string_list (key_file, group, "currencies", currencies, g_strv_length ((char **) currencies));
  return key_file;
}

static PdAccount *
account_from_key_file (GKeyFile   *key_file,
                       const char *group)
{
  g_autoptr(PdAccount) account = NULL;
  g_autofree char *gateway_key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *mode_key = NULL;
  g_autofree char *return_url = NULL;
  g_autofree char *cancel_url = NULL;
  g_auto(GStrv) providers = NULL;
  g_auto(GStrv) currencies = NULL;
  g_autoptr(GError) error = NULL;
  PdGateway gateway;
  PdMode mode;
  guint64 rate_limit;

  if (!g_uuid_string_is_valid (group))
    {
      g_message ("Ignoring [%s] in the accounts file: not an account id", group);
      return NULL;
    }
  gateway_key = g_key_file_get_string (key_file, group, "gateway", NULL);
  if (!pd_gateway_from_key (gateway_key, &gateway))
    {
      g_message ("Ignoring account %s: unknown gateway", group);
      return NULL;
    }

  account = g_object_new (PD_TYPE_ACCOUNT, "id", group, "gateway", gateway, NULL);

  name = g_key_file_get_string (key_file, group, "name", NULL);
  pd_account_set_display_name (account, name);
  base_url = g_key_file_get_string (key_file, group, "base-url", NULL);
  pd_account_set_base_url (account, base_url);
  mode_key = g_key_file_get_string (key_file, group, "mode", NULL);
  if (pd_mode_from_key (mode_key, &mode))
    pd_account_set_mode (account, mode);
  rate_limit = g_key_file_get_uint64 (key_file, group, "rate-limit", &error);
  if (error == NULL && rate_limit > 0 && rate_limit <= PD_ACCOUNT_MAX_RATE_LIMIT)
    pd_account_set_rate_limit (account, rate_limit);
  providers = g_key_file_get_string_list (key_file, group, "providers", NULL, NULL);
  if (providers != NULL)
    pd_account_set_providers (account, (const char * const *) providers);
  pd_account_set_sandbox (account, g_key_file_get_boolean (key_file, group, "sandbox", NULL));
  return_url = g_key_file_get_string (key_file, group, "return-url", NULL);
  pd_account_set_return_url (account, return_url);
  cancel_url = g_key_file_get_string (key_file, group, "cancel-url", NULL);
  pd_account_set_cancel_url (account, cancel_url);
  currencies = g_key_file_get_string_list (key_file, group, "currencies", NULL, NULL);
  pd_account_set_currencies (account, (const char * const *) currencies);

  return g_steal_pointer (&account);
}

/* Loads @path into @key_file; a missing file (or folder) is an empty one. */
static gboolean
read_key_file (const char  *path,
               GKeyFile    *key_file,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
      g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
    return TRUE;
  g_set_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO,
               _("Paydesk cannot read its accounts file “%s” (%s). Check that the file can be read and is not damaged, then try again."),
               path, local_error->message);
  return FALSE;
}

static gboolean
write_failed (GError    **error,
              const char *path,
              const char *reason)
{
  g_set_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO,
               _("Paydesk cannot save its accounts file “%s” (%s), so nothing was changed. "
                 "Make sure the folder can be written to and the disk is not full, then try again."),
               path, reason);
  return FALSE;
}

/* Replaces @path atomically (a new file renamed over the old) with mode 0600. */
static gboolean
write_key_file (const char  *path,
                GKeyFile    *key_file,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      return write_failed (error, path, g_strerror (saved_errno));
    }

  g_key_file_set_comment (key_file, NULL, NULL,
                          " Paydesk accounts. API keys and secrets are kept in the keyring, never here.",
                          NULL);
  data = g_key_file_to_data (key_file, &length, NULL);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    return write_failed (error, path, local_error->message);
  return TRUE;
}

static gboolean
apply_file_job (PdAccountStore  *self,
                FileJob         *job,
                GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->file_lock);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  const char *group = job->account_id;
  gboolean present;

  if (!read_key_file (self->path, key_file, error))
    return FALSE;
  present = g_key_file_has_group (key_file, group);

  switch (job->change)
    {
    case FILE_ADD:
      if (present)
        return invalid (error, _("This account is already saved. Edit it instead of adding it again."));
      break;

    case FILE_UPDATE:
      {
        g_autofree char *old_gateway = NULL;
        g_autofree char *new_gateway = NULL;
        g_auto(GStrv) keys = NULL;

        if (!present)
          {
            g_set_error_literal (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND,
                                 _("This account is no longer saved. Reload the accounts, then try again."));
            return FALSE;
          }
        old_gateway = g_key_file_get_string (key_file, group, "gateway", NULL);
        new_gateway = g_key_file_get_string (job->fields, group, "gateway", NULL);
        if (!job->secrets_given && g_strcmp0 (old_gateway, new_gateway) != 0)
          return invalid (error, _("An account’s gateway can only change together with its API key. Enter the new API key, then save again."));

        /* Emptying the group in place keeps the accounts in their order. */
        keys = g_key_file_get_keys (key_file, group, NULL, NULL);
        for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
          g_key_file_remove_key (key_file, group, keys[i], NULL);
      }
      break;

    case FILE_REMOVE:
      if (!present)
        return TRUE;
      g_key_file_remove_group (key_file, group, NULL);
      break;

    default:
      g_assert_not_reached ();
    }

  if (job->fields != NULL)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (job->fields, group, NULL, NULL);

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autofree char *value = g_key_file_get_value (job->fields, group, keys[i], NULL);

          g_key_file_set_value (key_file, group, keys[i], value);
        }
    }

  return write_key_file (self->path, key_file, error);
}

static void
file_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (apply_file_job (source_object, task_data, &error))
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
  if (!read_key_file (self->path, key_file, &error))
    {
      g_mutex_unlock (&self->file_lock);
      g_task_return_error (task, error);
      return;
    }
  g_mutex_unlock (&self->file_lock);

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      PdAccount *account = account_from_key_file (key_file, groups[i]);

      if (account != NULL)
        g_ptr_array_add (accounts, account);
    }
  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

/* The keyring --------------------------------------------------------------- */

static GHashTable *
secret_attributes (const char *account_id,
                   const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "account-id", g_strdup (account_id));
  if (kind != NULL)
    g_hash_table_insert (attributes, (char *) "secret", g_strdup (kind));
  return attributes;
}

/* keyring_put: makes the keyring hold exactly the given key and secret for
 * an account; an absent one is deleted. Errors are libsecret's own. */

typedef struct
{
  char        *account_id;
  char        *name;
  SecretValue *values[N_SECRET_KINDS];
  guint        step;
} PutData;

static void
put_data_free (PutData *data)
{
  g_free (data->account_id);
  g_free (data->name);
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    g_clear_pointer (&data->values[i], secret_value_unref);
  g_free (data);
}

static void put_next (GTask *task);

static void
put_step_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PutData *data = g_task_get_task_data (task);
  GError *error = NULL;

  /* Clearing nothing returns FALSE without an error: that is fine. */
  if (data->values[data->step] != NULL)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->step++;
  put_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
put_next (GTask *task)
{
  PutData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  if (data->step == N_SECRET_KINDS)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  attributes = secret_attributes (data->account_id, secret_kinds[data->step]);
  if (data->values[data->step] == NULL)
    {
      secret_password_clearv (&account_schema, attributes,
                              g_task_get_cancellable (task), put_step_done, task);
      return;
    }

  if (data->step == 0)
    /* Translators: the keyring item's label; %s is the account's name */
    label = g_strdup_printf (_("Paydesk: %s API key"), data->name);
  else
    /* Translators: the keyring item's label; %s is the account's name */
    label = g_strdup_printf (_("Paydesk: %s API secret"), data->name);
  secret_password_storev_binary (&account_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                 label, data->values[data->step],
                                 g_task_get_cancellable (task), put_step_done, task);
}

static void
keyring_put_async (const char             *account_id,
                   const char             *name,
                   const PdAccountSecrets *secrets,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PutData *data = g_new0 (PutData, 1);

  g_task_set_source_tag (task, keyring_put_async);
  g_task_set_check_cancellable (task, FALSE);
  data->account_id = g_strdup (account_id);
  data->name = g_strdup (name);
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    data->values[i] = secrets->values[i] ? secret_value_ref (secrets->values[i]) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) put_data_free);
  put_next (task);
}

static gboolean
keyring_put_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* keyring_get: what the keyring holds for an account (either part may be
 * absent). Run after keyring_unlock. Looked up one kind at a time: libsecret's
 * search loads item objects and, when one cannot be loaded, returns twice. */

typedef struct
{
  char        *account_id;
  SecretValue *values[N_SECRET_KINDS];
  guint        step;
} GetData;

static void
get_data_free (GetData *data)
{
  g_free (data->account_id);
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    wipe_value (data->values[i]);
  g_free (data);
}

static void get_next (GTask *task);

static void
get_step_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GetData *data = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  value = secret_password_lookup_binary_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->values[data->step] = secure_copy (value);
  data->step++;
  get_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
get_next (GTask *task)
{
  GetData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  PdAccountSecrets *secrets;

  if (data->step < N_SECRET_KINDS)
    {
      attributes = secret_attributes (data->account_id, secret_kinds[data->step]);
      secret_password_lookupv (&account_schema, attributes, g_task_get_cancellable (task),
                               get_step_done, task);
      return;
    }

  secrets = g_new0 (PdAccountSecrets, 1);
  for (guint i = 0; i < N_SECRET_KINDS; i++)
    secrets->values[i] = g_steal_pointer (&data->values[i]);
  g_task_return_pointer (task, secrets, (GDestroyNotify) pd_account_secrets_free);
  g_object_unref (task);
}

static void
keyring_get_async (const char          *account_id,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GetData *data = g_new0 (GetData, 1);

  g_task_set_source_tag (task, keyring_get_async);
  g_task_set_check_cancellable (task, FALSE);
  data->account_id = g_strdup (account_id);
  g_task_set_task_data (task, data, (GDestroyNotify) get_data_free);
  get_next (task);
}

static PdAccountSecrets *
keyring_get_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* keyring_unlock: makes sure the account's items and the default collection
 * are unlocked, asking the Secret Service to prompt for the password if they
 * are not; SECRET_ERROR_IS_LOCKED when the prompt is dismissed or fails.
 * Done here rather than by libsecret, whose 0.20 prompt handling loses a
 * dismissed prompt and then never returns. */

#define SECRET_BUS_NAME          "org.freedesktop.secrets"
#define SECRET_BUS_PATH          "/org/freedesktop/secrets"
#define SECRET_SERVICE_INTERFACE "org.freedesktop.Secret.Service"
#define SECRET_PROMPT_INTERFACE  "org.freedesktop.Secret.Prompt"

typedef struct
{
  SecretService *service;
  char          *account_id;
  char          *default_path;
  GPtrArray     *locked;        /* object paths to unlock */
  char          *prompt_path;
  guint          completed_id;
  GSource       *cancelled;
  gboolean       done;
} UnlockData;

/* Inside Flatpak libsecret keeps the secrets in a file opened through the
 * Secret portal (its own rule, mirrored here): there is nothing to unlock. */
static gboolean
uses_file_backend (void)
{
  const char *backend = g_getenv ("SECRET_BACKEND");

  if (backend != NULL && *backend != '\0')
    return g_str_equal (backend, "file");
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static GDBusConnection *
unlock_bus (UnlockData *data)
{
  return g_dbus_proxy_get_connection (G_DBUS_PROXY (data->service));
}

static void
unlock_data_free (UnlockData *data)
{
  g_assert (data->completed_id == 0 && data->cancelled == NULL);

  g_clear_object (&data->service);
  g_free (data->account_id);
  g_free (data->default_path);
  g_ptr_array_unref (data->locked);
  g_free (data->prompt_path);
  g_free (data);
}

/* Before any prompt, a cancellation the caller did not ask for is the
 * deadline: the keyring did not answer. */
static void
unlock_return_error (GTask  *task,
                     GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The keyring did not answer");
    }
  g_task_return_error (task, error);
}

/* Ends the prompt once, whichever comes first: the Completed signal, a failed
 * Prompt() call, or cancellation. */
static void
unlock_prompt_end (GTask  *task,
                   GError *error)
{
  UnlockData *data = g_task_get_task_data (task);

  if (data->done)
    {
      g_clear_error (&error);
      return;
    }
  data->done = TRUE;

  if (data->completed_id != 0)
    g_dbus_connection_signal_unsubscribe (unlock_bus (data), data->completed_id);
  data->completed_id = 0;
  if (data->cancelled != NULL)
    g_source_destroy (data->cancelled);
  g_clear_pointer (&data->cancelled, g_source_unref);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
unlock_prompt_completed (GDBusConnection *bus,
                         const char      *sender,
                         const char      *path,
                         const char      *interface,
                         const char      *signal,
                         GVariant        *parameters,
                         gpointer         user_data)
{
  gboolean dismissed = TRUE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(bv)")))
    g_variant_get (parameters, "(bv)", &dismissed, NULL);
  unlock_prompt_end (G_TASK (user_data),
                     dismissed ? g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "The unlock prompt was dismissed")
                               : NULL);
}

static void
unlock_prompt_shown (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  /* On success the answer comes with the Completed signal. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    unlock_prompt_end (task, error);
}

static gboolean
unlock_prompt_cancelled (GCancellable *cancellable,
                         gpointer      user_data)
{
  GTask *task = user_data;
  UnlockData *data = g_task_get_task_data (task);

  /* Take the prompt off the screen too. */
  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, data->prompt_path,
                          SECRET_PROMPT_INTERFACE, "Dismiss", NULL, NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  unlock_prompt_end (task, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "The unlock prompt was not answered"));
  return G_SOURCE_REMOVE;
}

static void
unlock_called (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UnlockData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *owner = NULL;
  const char *prompt;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      unlock_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(@ao&o)", NULL, &prompt);
  if (g_str_equal (prompt, "/"))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data->prompt_path = g_strdup (prompt);
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (data->service));
  data->completed_id = g_dbus_connection_signal_subscribe (unlock_bus (data), owner,
                                                           SECRET_PROMPT_INTERFACE, "Completed",
                                                           data->prompt_path, NULL,
                                                           G_DBUS_SIGNAL_FLAGS_NONE,
                                                           unlock_prompt_completed,
                                                           g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    {
      data->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancelled, G_SOURCE_FUNC (unlock_prompt_cancelled),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancelled, g_main_context_get_thread_default ());
    }
  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, data->prompt_path,
                          SECRET_PROMPT_INTERFACE, "Prompt", g_variant_new ("(s)", ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          unlock_prompt_shown, g_steal_pointer (&task));
}

/* Takes @task. */
static void
unlock_what_is_locked (GTask *task)
{
  UnlockData *data = g_task_get_task_data (task);

  if (data->locked->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, SECRET_BUS_PATH,
                          SECRET_SERVICE_INTERFACE, "Unlock",
                          g_variant_new ("(@ao)", g_variant_new_objv ((const char * const *) data->locked->pdata,
                                                                      data->locked->len)),
                          G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), unlock_called, task);
}

static void
unlock_collection_checked (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UnlockData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) locked = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      unlock_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(v)", &locked);
  if (g_variant_is_of_type (locked, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (locked))
    g_ptr_array_add (data->locked, g_strdup (data->default_path));
  unlock_what_is_locked (g_steal_pointer (&task));
}

static void
unlock_alias_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UnlockData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      unlock_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(o)", &data->default_path);

  /* No default collection yet: storing creates one. */
  if (g_str_equal (data->default_path, "/"))
    {
      unlock_what_is_locked (g_steal_pointer (&task));
      return;
    }
  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, data->default_path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          cancellable, unlock_collection_checked,
                          g_steal_pointer (&task));
}

static void
unlock_items_searched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UnlockData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **locked = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      unlock_return_error (task, error);
      return;
    }
  g_variant_get (reply, "(@ao^a&o)", NULL, &locked);
  for (guint i = 0; locked[i] != NULL; i++)
    g_ptr_array_add (data->locked, g_strdup (locked[i]));

  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, SECRET_BUS_PATH,
                          SECRET_SERVICE_INTERFACE, "ReadAlias", g_variant_new ("(s)", "default"),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          cancellable, unlock_alias_read, g_steal_pointer (&task));
}

static void
unlock_got_service (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UnlockData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GVariantBuilder attributes;
  GError *error = NULL;

  data->service = secret_service_get_finish (result, &error);
  if (data->service == NULL)
    {
      unlock_return_error (task, error);
      return;
    }

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "account-id", data->account_id);
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", PD_ACCOUNT_SECRET_SCHEMA_NAME);
  g_dbus_connection_call (unlock_bus (data), SECRET_BUS_NAME, SECRET_BUS_PATH,
                          SECRET_SERVICE_INTERFACE, "SearchItems",
                          g_variant_new ("(a{ss})", &attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          cancellable, unlock_items_searched, g_steal_pointer (&task));
}

static void
keyring_unlock_async (const char          *account_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  UnlockData *data = g_new0 (UnlockData, 1);

  g_task_set_source_tag (task, keyring_unlock_async);
  /* The real error, not a bare "cancelled": the caller decides what it means. */
  g_task_set_check_cancellable (task, FALSE);
  data->account_id = g_strdup (account_id);
  data->locked = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) unlock_data_free);

  if (uses_file_backend ())
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* Opening a session also proves that a Secret Service answers. */
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, unlock_got_service, task);
}

static gboolean
keyring_unlock_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
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
  FileJob          *file_job;
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
  if (caller_has_cancelled (task))
    error = cancelled_error ();
  else if (op->error != NULL)
    error = g_steal_pointer (&op->error);
  else
    error = keyring_locked_error ();
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
  g_clear_pointer (&op->file_job, file_job_free);
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
    return invalid (error, _("Enter the account’s API key."));
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE && secrets->values[1] == NULL)
    return invalid (error, _("PesoGate needs both the API key and the API secret. Enter the API secret too."));
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
      g_clear_pointer (&op->secrets->values[1], wipe_value);
      pd_account_mode_from_paysgator_key (pd_account_secrets_get_api_key (op->secrets), &op->mode);
    }
}

static void
op_set_file_job (Op         *op,
                 FileChange  change)
{
  op->file_job = g_new0 (FileJob, 1);
  op->file_job->change = change;
  op->file_job->account_id = g_strdup (op->account_id);
  if (change != FILE_REMOVE)
    op->file_job->fields = account_to_key_file (op->account, op->mode);
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
  if (!keyring_put_finish (result, &error))
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
  keyring_put_async (op->account_id, op->name, op->previous, op->cancellable, rolled_back, task);
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
  if (!keyring_put_finish (result, &error))
    {
      error = keyring_error (task, error);
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
  op->previous = keyring_get_finish (result, &error);
  if (op->previous == NULL)
    {
      op_return_error (task, keyring_error (task, error));
      return;
    }
  keyring_put_async (op->account_id, op->name, op->secrets, op->cancellable,
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
  if (!keyring_unlock_finish (result, &error))
    {
      op_return_error (task, keyring_error (task, error));
      return;
    }
  keyring_get_async (op->account_id, op->cancellable, change_previous_read, g_steal_pointer (&task));
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
    keyring_unlock_async (op->account_id, op->cancellable, change_unlocked, task);
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
      invalid (&error, _("This account is already saved. Edit it instead of adding it again."));
      op_return_error (task, error);
      return;
    }

  op = g_task_get_task_data (task);
  op_take_secrets (op, secrets);
  op_set_file_job (op, FILE_ADD);
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
  op_set_file_job (op, FILE_UPDATE);
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
  op_set_file_job (op, FILE_REMOVE);
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
  secrets = keyring_get_finish (result, &error);
  if (secrets == NULL)
    {
      op_return_error (task, keyring_error (task, error));
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
  if (!keyring_unlock_finish (result, &error))
    {
      op_return_error (task, keyring_error (task, error));
      return;
    }
  keyring_get_async (op->account_id, op->cancellable, lookup_read, g_steal_pointer (&task));
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
  keyring_unlock_async (op->account_id, op->cancellable, lookup_unlocked, task);
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
