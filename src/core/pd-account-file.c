/* pd-account-file.c: the account store's key file (worker threads only)
 *
 * One group per account id with its non-secret fields; written with mode
 * 0600 and replaced atomically.
 */
#define G_LOG_DOMAIN "pd-account-store"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "pd-account-file.h"

gboolean
pd_account_file_invalid (GError    **error,
                         const char *message)
{
  g_set_error_literal (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID, message);
  return FALSE;
}

void
pd_account_file_job_free (PdAccountFileJob *job)
{
  g_free (job->account_id);
  g_clear_pointer (&job->fields, g_key_file_unref);
  g_free (job);
}

/* A snapshot of the non-secret fields: the worker thread never touches the GObject. */
GKeyFile *
pd_account_file_from_account (PdAccount *account,
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

PdAccount *
pd_account_file_to_account (GKeyFile   *key_file,
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
gboolean
pd_account_file_read (const char  *path,
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

gboolean
pd_account_file_apply (const char        *path,
                       GMutex            *lock,
                       PdAccountFileJob  *job,
                       GError           **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (lock);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  const char *group = job->account_id;
  gboolean present;

  if (!pd_account_file_read (path, key_file, error))
    return FALSE;
  present = g_key_file_has_group (key_file, group);

  switch (job->change)
    {
    case PD_ACCOUNT_FILE_ADD:
      if (present)
        return pd_account_file_invalid (error, _("This account is already saved. Edit it instead of adding it again."));
      break;

    case PD_ACCOUNT_FILE_UPDATE:
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
          return pd_account_file_invalid (error, _("An account’s gateway can only change together with its API key. Enter the new API key, then save again."));

        /* Emptying the group in place keeps the accounts in their order. */
        keys = g_key_file_get_keys (key_file, group, NULL, NULL);
        for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
          g_key_file_remove_key (key_file, group, keys[i], NULL);
      }
      break;

    case PD_ACCOUNT_FILE_REMOVE:
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

  return write_key_file (path, key_file, error);
}
