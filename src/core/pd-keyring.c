/* pd-keyring.c: the account store's keyring access through libsecret
 *
 * Secrets are held in libsecret's non-pageable memory, stored and looked up
 * under PD_ACCOUNT_SECRET_SCHEMA_NAME, and unlocked over D-Bus; libsecret
 * failures become PD_ACCOUNT_ERRORs.
 */
#define G_LOG_DOMAIN "pd-account-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-keyring.h"

static const char * const secret_kinds[PD_KEYRING_N_SECRET_KINDS] = { "api-key", "api-secret" };

static const SecretSchema account_schema = {
  PD_ACCOUNT_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* PdAccountSecrets ------------------------------------------------------ */

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

void
pd_keyring_wipe_value (SecretValue *value)
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
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
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
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
    pd_keyring_wipe_value (secrets->values[i]);
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

/* Errors -------------------------------------------------------------------- */

static GError *
keyring_unavailable_error (void)
{
  return g_error_new_literal (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE,
                              _("Paydesk cannot reach the keyring where API keys are kept. Make sure GNOME Keyring "
                                "or another Secret Service is running (logging out and in again starts it), then try again."));
}

GError *
pd_keyring_locked_error (void)
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

GError *
pd_keyring_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
}

gboolean
pd_keyring_caller_has_cancelled (GTask *task)
{
  GCancellable *caller = g_task_get_cancellable (task);

  return caller != NULL && g_cancellable_is_cancelled (caller);
}

/* Turns a libsecret failure into a PD_ACCOUNT_ERROR. A cancellation the
 * caller did not ask for is the deadline or a dismissed unlock prompt. */
GError *
pd_keyring_error (GTask  *task,
                  GError *error)
{
  g_autoptr(GError) owned = error;

  if (pd_keyring_caller_has_cancelled (task))
    return pd_keyring_cancelled_error ();

  /* libsecret's messages name D-Bus objects, never a secret. */
  g_debug ("Keyring: %s", error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return pd_keyring_locked_error ();
  if (is_bus_failure (error))
    return keyring_unavailable_error ();
  return g_error_new (PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_REFUSED,
                      _("The keyring refused the request (%s). Check your keyring in Passwords and Keys, then try again."),
                      error->message);
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
  SecretValue *values[PD_KEYRING_N_SECRET_KINDS];
  guint        step;
} PutData;

static void
put_data_free (PutData *data)
{
  g_free (data->account_id);
  g_free (data->name);
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
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

  if (data->step == PD_KEYRING_N_SECRET_KINDS)
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

void
pd_keyring_put_async (const char             *account_id,
                      const char             *name,
                      const PdAccountSecrets *secrets,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PutData *data = g_new0 (PutData, 1);

  g_task_set_source_tag (task, pd_keyring_put_async);
  g_task_set_check_cancellable (task, FALSE);
  data->account_id = g_strdup (account_id);
  data->name = g_strdup (name);
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
    data->values[i] = secrets->values[i] ? secret_value_ref (secrets->values[i]) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) put_data_free);
  put_next (task);
}

gboolean
pd_keyring_put_finish (GAsyncResult  *result,
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
  SecretValue *values[PD_KEYRING_N_SECRET_KINDS];
  guint        step;
} GetData;

static void
get_data_free (GetData *data)
{
  g_free (data->account_id);
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
    pd_keyring_wipe_value (data->values[i]);
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

  if (data->step < PD_KEYRING_N_SECRET_KINDS)
    {
      attributes = secret_attributes (data->account_id, secret_kinds[data->step]);
      secret_password_lookupv (&account_schema, attributes, g_task_get_cancellable (task),
                               get_step_done, task);
      return;
    }

  secrets = g_new0 (PdAccountSecrets, 1);
  for (guint i = 0; i < PD_KEYRING_N_SECRET_KINDS; i++)
    secrets->values[i] = g_steal_pointer (&data->values[i]);
  g_task_return_pointer (task, secrets, (GDestroyNotify) pd_account_secrets_free);
  g_object_unref (task);
}

void
pd_keyring_get_async (const char          *account_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GetData *data = g_new0 (GetData, 1);

  g_task_set_source_tag (task, pd_keyring_get_async);
  g_task_set_check_cancellable (task, FALSE);
  data->account_id = g_strdup (account_id);
  g_task_set_task_data (task, data, (GDestroyNotify) get_data_free);
  get_next (task);
}

PdAccountSecrets *
pd_keyring_get_finish (GAsyncResult  *result,
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

void
pd_keyring_unlock_async (const char          *account_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  UnlockData *data = g_new0 (UnlockData, 1);

  g_task_set_source_tag (task, pd_keyring_unlock_async);
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

gboolean
pd_keyring_unlock_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
