/* test-account-store.c: accounts in the key file, their secrets in a real keyring
 *
 * The session keyring tests need the private, unlocked gnome-keyring of
 * `build-aux/dev test` (see TESTING.md); without one they are skipped, and
 * say so. The "no keyring" and "locked keyring" cases bring their own
 * private D-Bus (and gnome-keyring) in a subprocess, so they run anywhere.
 */
#define G_LOG_DOMAIN "test-account-store"

#include "config.h"

#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "pd-account-store.h"

/* Written out again here, so that a change to the store's names shows. */
static const SecretSchema test_schema = {
  "io.github.paydesk.Paydesk.Account", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "secret", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

#define PRIVATE_KEYRING_PASSWORD "paydesk-test-password"

/* XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME all live under here. */
static char *tmp_root;

/* Helpers ------------------------------------------------------------------- */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_root, name, NULL);
}

static char *
random_secret (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_remove (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* Fails if @needle's bytes are in any file under @path. */
static void
assert_not_in_files (const char *path,
                     const char *needle)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_not_in_files (child, needle);
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("A secret was written to %s", child);
    }
  g_dir_close (dir);
}

static gboolean
installed (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  return path != NULL;
}

static void
assert_error_clean (const GError *error,
                    const char   *secret)
{
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strstr (error->message, secret));
}

static gboolean
watchdog_fired (gpointer user_data)
{
  g_error ("A store operation did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
keep_result (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs the main context until @slot holds a result; never longer than 30 s. */
static GAsyncResult *
await_result (GAsyncResult **slot)
{
  guint watchdog = g_timeout_add_seconds (30, watchdog_fired, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
  return *slot;
}

static gboolean
store_add (PdAccountStore  *store,
           PdAccount       *account,
           const char      *api_key,
           const char      *api_secret,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(PdAccountSecrets) secrets = pd_account_secrets_new (api_key, api_secret);
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_store_add_async (store, account, secrets, cancellable, keep_result, &result);
  return pd_account_store_add_finish (store, await_result (&result), error);
}

/* With neither @api_key nor @api_secret the stored secrets are kept. */
static gboolean
store_update (PdAccountStore  *store,
              PdAccount       *account,
              const char      *api_key,
              const char      *api_secret,
              GError         **error)
{
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (api_key != NULL || api_secret != NULL)
    secrets = pd_account_secrets_new (api_key, api_secret);
  pd_account_store_update_async (store, account, secrets, NULL, keep_result, &result);
  return pd_account_store_update_finish (store, await_result (&result), error);
}

static PdAccountSecrets *
store_lookup (PdAccountStore  *store,
              PdAccount       *account,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_store_lookup_secrets_async (store, account, NULL, keep_result, &result);
  return pd_account_store_lookup_secrets_finish (store, await_result (&result), error);
}

static gboolean
store_remove (PdAccountStore  *store,
              PdAccount       *account,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_store_remove_async (store, account, NULL, keep_result, &result);
  return pd_account_store_remove_finish (store, await_result (&result), error);
}

static GListModel *
store_load (PdAccountStore  *store,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_account_store_load_async (store, NULL, keep_result, &result);
  return pd_account_store_load_finish (store, await_result (&result), error);
}

/* What the keyring holds, read with libsecret directly. */
static char *
keyring_lookup (const char *account_id,
                const char *kind)
{
  g_autoptr(GError) error = NULL;
  char *value;

  value = secret_password_lookup_sync (&test_schema, NULL, &error,
                                       "account-id", account_id,
                                       "secret", kind,
                                       NULL);
  g_assert_no_error (error);
  return value;
}

static void
assert_keyring (const char *account_id,
                const char *kind,
                const char *expected)
{
  char *value = keyring_lookup (account_id, kind);

  g_assert_cmpstr (value, ==, expected);
  secret_password_free (value);
}

/* The labels of the account's items, read over D-Bus (libsecret's search
 * loads item objects, which fails now and then under load). */
static GStrv
keyring_labels (const char *account_id)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GVariant) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **paths = NULL;
  GVariantBuilder attributes;

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "account-id", account_id);
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", test_schema.name);
  found = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes), G_VARIANT_TYPE ("(aoao)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (found, "(^a&o@ao)", &paths, NULL);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) label = NULL;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", paths[i],
                                           "org.freedesktop.DBus.Properties", "Get",
                                           g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Label"),
                                           G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(v)", &label);
      g_strv_builder_add (labels, g_variant_get_string (label, NULL));
    }
  return g_strv_builder_end (labels);
}

static void
assert_accounts_equal (PdAccount *a,
                       PdAccount *b)
{
  g_assert_cmpstr (pd_account_get_id (a), ==, pd_account_get_id (b));
  g_assert_cmpstr (pd_account_get_display_name (a), ==, pd_account_get_display_name (b));
  g_assert_cmpint (pd_account_get_gateway (a), ==, pd_account_get_gateway (b));
  g_assert_cmpstr (pd_account_get_base_url (a), ==, pd_account_get_base_url (b));
  g_assert_cmpint (pd_account_get_mode (a), ==, pd_account_get_mode (b));
  g_assert_cmpuint (pd_account_get_rate_limit (a), ==, pd_account_get_rate_limit (b));
  g_assert_cmpstrv (pd_account_get_providers (a), pd_account_get_providers (b));
  g_assert_cmpint (pd_account_get_sandbox (a), ==, pd_account_get_sandbox (b));
  g_assert_cmpstr (pd_account_get_return_url (a), ==, pd_account_get_return_url (b));
  g_assert_cmpstr (pd_account_get_cancel_url (a), ==, pd_account_get_cancel_url (b));
  g_assert_cmpstrv (pd_account_get_currencies (a), pd_account_get_currencies (b));
}

static gboolean
key_file_has_account (const char *path,
                      const char *account_id)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  return g_key_file_has_group (key_file, account_id);
}

/* Makes every write to a regular file fail with EFBIG, like a full disk;
 * unlike a read-only folder this stops root too. */
static struct rlimit saved_file_limit;

static void
fail_file_writes (void)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_file_limit), ==, 0);
  limit = saved_file_limit;
  limit.rlim_cur = 1;
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

static void
allow_file_writes (void)
{
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_file_limit), ==, 0);
}

static PdAccount *
new_pesogate_account (const char *name)
{
  PdAccount *account = pd_account_new (PD_GATEWAY_PESOGATE, name);
  const char * const currencies[] = { "MZN", "USD", NULL };

  pd_account_set_currencies (account, currencies);
  return account;
}

/* The session keyring ----------------------------------------------------------- */

/* Looks at the keyring over plain D-Bus: a libsecret service with its
 * collections loaded would follow every item other tests create and delete,
 * and libsecret 0.20 returns twice when such an item is gone before it loads. */
static char *
probe_session_keyring (void)
{
  struct passwd *pw = getpwuid (getuid ());
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;
  const char *path;

  /* Never write to, or lock, the keyring of the person running the tests. */
  if (pw != NULL)
    {
      g_autofree char *home = g_canonicalize_filename (g_get_home_dir (), NULL);
      g_autofree char *real_home = g_canonicalize_filename (pw->pw_dir, NULL);

      if (g_str_equal (home, real_home))
        return g_strdup ("HOME is the real home directory, so the session keyring may be a person's own; "
                         "run the suite with build-aux/dev test (a private gnome-keyring, see TESTING.md)");
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return g_strdup ("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)");

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  if (service == NULL)
    return g_strdup_printf ("no Secret Service on the session bus (%s)", error->message);
  bus = g_dbus_proxy_get_connection (G_DBUS_PROXY (service));
  alias = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (alias == NULL)
    return g_strdup_printf ("the keyring has no default collection (%s)", error->message);
  g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    return g_strdup ("the keyring has no default collection (start gnome-keyring-daemon with --unlock)");
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    return g_strdup_printf ("the keyring's default collection cannot be read (%s)", error->message);
  g_variant_get (reply, "(v)", &locked);
  if (g_variant_get_boolean (locked))
    return g_strdup ("the keyring's default collection is locked (start gnome-keyring-daemon with --unlock)");
  return NULL;
}

/* Why the session keyring cannot be used, or NULL; said loudly once. */
static const char *
session_keyring_problem (void)
{
  static gboolean probed;
  static char *reason;

  if (!probed)
    {
      probed = TRUE;
      reason = probe_session_keyring ();
      if (reason != NULL)
        g_printerr ("\n*** test-account-store: SKIPPING the session keyring tests: %s ***\n\n", reason);
    }
  return reason;
}

/* Skips the current test when there is no usable session keyring. */
static gboolean
session_keyring_missing (void)
{
  const char *reason = session_keyring_problem ();

  if (reason != NULL)
    g_test_skip (reason);
  return reason != NULL;
}

/* PdAccount --------------------------------------------------------------------- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_account_new (void)
{
  g_autoptr(PdAccount) pesogate = pd_account_new (PD_GATEWAY_PESOGATE, "Shop");
  g_autoptr(PdAccount) paysgator = pd_account_new (PD_GATEWAY_PAYSGATOR, "Wallet");
  g_autoptr(PdAccount) copy = NULL;
  const char * const both[] = { "cybersource", "mpgs", NULL };
  const char * const none[] = { NULL };
  guint notified = 0;

  g_assert_true (g_uuid_string_is_valid (pd_account_get_id (pesogate)));
  g_assert_true (g_uuid_string_is_valid (pd_account_get_id (paysgator)));
  g_assert_cmpstr (pd_account_get_id (pesogate), !=, pd_account_get_id (paysgator));

  g_assert_cmpstr (pd_account_get_base_url (pesogate), ==, "https://gateway.pesogate.com/api/v1");
  g_assert_cmpstr (pd_account_get_base_url (paysgator), ==, "https://paysgator.com/api/v1");
  g_assert_cmpstr (pd_account_default_base_url (PD_GATEWAY_PAYSGATOR), ==, "https://paysgator.com/api/v1");
  g_assert_cmpuint (pd_account_get_rate_limit (pesogate), ==, 100);
  g_assert_cmpint (pd_account_get_mode (pesogate), ==, PD_MODE_LIVE);
  g_assert_false (pd_account_get_sandbox (pesogate));
  g_assert_cmpstr (pd_account_get_return_url (pesogate), ==, "https://paydesk.invalid/3ds/return");
  g_assert_cmpstr (pd_account_get_cancel_url (pesogate), ==, "https://paydesk.invalid/3ds/cancel");
  g_assert_cmpstrv (pd_account_get_providers (pesogate), both);
  g_assert_true (pd_account_has_provider (pesogate, "mpgs"));
  g_assert_cmpstrv (pd_account_get_providers (paysgator), none);
  g_assert_cmpstrv (pd_account_get_currencies (pesogate), none);

  /* Notify only on a real change. */
  g_signal_connect (pesogate, "notify::display-name", G_CALLBACK (count_notify), &notified);
  pd_account_set_display_name (pesogate, "Shop");
  g_assert_cmpuint (notified, ==, 0);
  pd_account_set_display_name (pesogate, "Corner shop");
  g_assert_cmpuint (notified, ==, 1);

  /* A base URL nobody changed follows the gateway; a changed one stays. */
  pd_account_set_gateway (paysgator, PD_GATEWAY_PESOGATE);
  g_assert_cmpstr (pd_account_get_base_url (paysgator), ==, "https://gateway.pesogate.com/api/v1");
  pd_account_set_base_url (paysgator, "http://127.0.0.1:8080/pesogate/api/v1");
  pd_account_set_gateway (paysgator, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpstr (pd_account_get_base_url (paysgator), ==, "http://127.0.0.1:8080/pesogate/api/v1");
  pd_account_set_base_url (paysgator, NULL);
  g_assert_cmpstr (pd_account_get_base_url (paysgator), ==, "https://paysgator.com/api/v1");

  copy = pd_account_copy (pesogate);
  g_assert_true (copy != pesogate);
  assert_accounts_equal (copy, pesogate);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&pesogate));
  g_assert_finalize_object (g_steal_pointer (&paysgator));
}

static void
test_account_base_url (void)
{
  static const struct { const char *url; gboolean ok; } cases[] = {
    { "https://gateway.pesogate.com/api/v1", TRUE },
    { "https://paysgator.com/api/v1", TRUE },
    { "HTTPS://Example.COM:8443/api/v1/", TRUE },
    { "http://127.0.0.1:41234/pesogate/api/v1", TRUE },
    { "http://127.45.6.7/api", TRUE },
    { "http://[::1]:8080/paysgator/api/v1", TRUE },
    { "http://localhost:8080/api/v1", TRUE },
    { "http://LOCALHOST/api/v1", TRUE },
    { "http://gateway.pesogate.com/api/v1", FALSE },
    { "http://10.0.0.1/api/v1", FALSE },
    { "http://128.0.0.1/api/v1", FALSE },
    { "http://127.0.0.1.example.com/api/v1", FALSE },
    { "http://localhost.example.com/api/v1", FALSE },
    { "http://[::2]/api/v1", FALSE },
    { "http://0x7f000001/api/v1", FALSE },
    { "ftp://gateway.pesogate.com/api/v1", FALSE },
    { "gateway.pesogate.com/api/v1", FALSE },
    { "/api/v1", FALSE },
    { "https://", FALSE },
    { "https://user:password@gateway.pesogate.com/api/v1", FALSE },
    { "https://gateway.pesogate.com/api/v1?x=1", FALSE },
    { "https://gateway.pesogate.com/api/v1#top", FALSE },
    { "https://gateway pesogate.com/api/v1", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = pd_account_validate_base_url (cases[i].url, &error);

      g_test_message ("%s", cases[i].url ? cases[i].url : "(null)");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
          g_assert_cmpstr (error->message, !=, "");
          /* The URL may hold a password: it is not echoed. */
          g_assert_null (strstr (error->message, "password@"));
        }
    }
}

static void
test_account_paysgator_key_mode (void)
{
  PdMode mode = PD_MODE_LIVE;

  g_assert_true (pd_account_mode_from_paysgator_key ("test_sandbox_2a7c9e4f1b6d8035", &mode));
  g_assert_cmpint (mode, ==, PD_MODE_TEST);
  g_assert_true (pd_account_mode_from_paysgator_key ("live_sandbox_8e3f1a6c2d9b4705", &mode));
  g_assert_cmpint (mode, ==, PD_MODE_LIVE);
  g_assert_true (pd_account_mode_from_paysgator_key ("TEST_abc", &mode));
  g_assert_cmpint (mode, ==, PD_MODE_TEST);

  /* Anything else says nothing, and leaves @mode alone. */
  g_assert_false (pd_account_mode_from_paysgator_key ("pk_sandbox_5f2b8c1e9a7d4360", &mode));
  g_assert_false (pd_account_mode_from_paysgator_key ("live", &mode));
  g_assert_false (pd_account_mode_from_paysgator_key ("testing_abc", &mode));
  g_assert_false (pd_account_mode_from_paysgator_key ("", &mode));
  g_assert_false (pd_account_mode_from_paysgator_key (NULL, &mode));
  g_assert_cmpint (mode, ==, PD_MODE_TEST);
}

static void
test_account_validate (void)
{
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(GError) error = NULL;
  const char * const none[] = { NULL };
  const char * const unknown_provider[] = { "mpgs", "stripe", NULL };
  const char * const bad_currency[] = { "MZN", "usd", NULL };
  const char * const fake_currency[] = { "XYZ", NULL };

  g_assert_true (pd_account_validate (account, &error));
  g_assert_no_error (error);

  pd_account_set_display_name (account, "   ");
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_display_name (account, "Shop");

  pd_account_set_base_url (account, "http://gateway.pesogate.com/api/v1");
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_base_url (account, NULL);

  pd_account_set_providers (account, none);
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_providers (account, unknown_provider);
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);

  /* PaysGator has no providers to choose. */
  pd_account_set_providers (account, none);
  pd_account_set_gateway (account, PD_GATEWAY_PAYSGATOR);
  g_assert_true (pd_account_validate (account, &error));
  g_assert_no_error (error);

  pd_account_set_currencies (account, bad_currency);
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_currencies (account, fake_currency);
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_currencies (account, none);

  pd_account_set_return_url (account, "not a url");
  g_assert_false (pd_account_validate (account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  pd_account_set_return_url (account, NULL);
  g_assert_cmpstr (pd_account_get_return_url (account), ==, "https://paydesk.invalid/3ds/return");
  g_assert_true (pd_account_validate (account, NULL));
}

static void
test_account_secrets (void)
{
  g_autoptr(PdAccountSecrets) secrets = pd_account_secrets_new ("  pk_abc\n", "sk_def");
  g_autoptr(PdAccountSecrets) copy = NULL;
  g_autoptr(PdAccountSecrets) empty = pd_account_secrets_new ("", " \t ");
  g_autoptr(PdAccountSecrets) none = pd_account_secrets_new (NULL, NULL);

  g_assert_cmpstr (pd_account_secrets_get_api_key (secrets), ==, "pk_abc");
  g_assert_cmpstr (pd_account_secrets_get_api_secret (secrets), ==, "sk_def");
  g_assert_null (pd_account_secrets_get_api_key (empty));
  g_assert_null (pd_account_secrets_get_api_secret (empty));
  g_assert_null (pd_account_secrets_get_api_key (none));

  copy = g_boxed_copy (PD_TYPE_ACCOUNT_SECRETS, secrets);
  g_clear_pointer (&secrets, pd_account_secrets_free);
  g_assert_cmpstr (pd_account_secrets_get_api_key (copy), ==, "pk_abc");
  g_assert_cmpstr (pd_account_secrets_get_api_secret (copy), ==, "sk_def");
}

/* The key file alone ------------------------------------------------------------ */

static void
test_store_load_file (void)
{
  g_autofree char *path = tmp_path ("load/accounts.ini");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char * const mpgs[] = { "mpgs", NULL };
  const char * const currencies[] = { "KES", "USD", NULL };
  const char *contents =
    "# written by hand\n"
    "[general]\n"
    "version=1\n"
    "\n"
    "[0b4f4b64-1111-4c3a-9d3e-5b1a2f1c7e01]\n"
    "name=Future gateway\n"
    "gateway=stripe\n"
    "\n"
    "[0b4f4b64-2222-4c3a-9d3e-5b1a2f1c7e02]\n"
    "name=Nairobi wallet\n"
    "gateway=paysgator\n"
    "base-url=http://127.0.0.1:9999/paysgator/api/v1\n"
    "mode=test\n"
    "rate-limit=60\n"
    "providers=mpgs;\n"
    "sandbox=true\n"
    "currencies=KES;USD;\n"
    "\n"
    "[0b4f4b64-3333-4c3a-9d3e-5b1a2f1c7e03]\n"
    "name=Defaults\n"
    "gateway=pesogate\n"
    "rate-limit=999999999\n";

  /* No file yet: no accounts, and no error. */
  accounts = store_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (accounts == pd_account_store_get_accounts (store));
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 0);
  g_clear_object (&accounts);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  accounts = store_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);

  account = g_list_model_get_item (accounts, 0);
  g_assert_cmpstr (pd_account_get_id (account), ==, "0b4f4b64-2222-4c3a-9d3e-5b1a2f1c7e02");
  g_assert_cmpstr (pd_account_get_display_name (account), ==, "Nairobi wallet");
  g_assert_cmpint (pd_account_get_gateway (account), ==, PD_GATEWAY_PAYSGATOR);
  g_assert_cmpstr (pd_account_get_base_url (account), ==, "http://127.0.0.1:9999/paysgator/api/v1");
  g_assert_cmpint (pd_account_get_mode (account), ==, PD_MODE_TEST);
  g_assert_cmpuint (pd_account_get_rate_limit (account), ==, 60);
  g_assert_cmpstrv (pd_account_get_providers (account), mpgs);
  g_assert_true (pd_account_get_sandbox (account));
  g_assert_cmpstrv (pd_account_get_currencies (account), currencies);
  g_assert_cmpstr (pd_account_get_return_url (account), ==, "https://paydesk.invalid/3ds/return");
  g_clear_object (&account);

  /* Missing fields take their defaults; an impossible rate limit too. */
  account = g_list_model_get_item (accounts, 1);
  g_assert_cmpstr (pd_account_get_base_url (account), ==, "https://gateway.pesogate.com/api/v1");
  g_assert_cmpuint (pd_account_get_rate_limit (account), ==, 100);
  g_assert_true (pd_account_has_provider (account, "cybersource"));
  g_assert_true (pd_account_store_find (store, "0b4f4b64-3333-4c3a-9d3e-5b1a2f1c7e03") == account);
  g_assert_null (pd_account_store_find (store, "0b4f4b64-1111-4c3a-9d3e-5b1a2f1c7e01"));
  g_clear_object (&account);
  g_clear_object (&accounts);

  /* A damaged file is an error, and the list stays as it was. */
  g_assert_true (g_file_set_contents (path, "[unclosed\nname=x\n", -1, NULL));
  accounts = store_load (store, &error);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO);
  g_assert_null (accounts);
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 2);
}

static void
test_store_invalid (void)
{
  g_autofree char *path = tmp_path ("invalid/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(PdAccount) unnamed = new_pesogate_account ("");
  g_autoptr(PdAccount) wallet = pd_account_new (PD_GATEWAY_PAYSGATOR, "Wallet");
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");
  g_autoptr(GError) error = NULL;

  g_assert_false (store_add (store, unnamed, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  assert_error_clean (error, key);
  g_clear_error (&error);

  pd_account_set_base_url (account, "http://gateway.pesogate.com/api/v1");
  g_assert_false (store_add (store, account, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  assert_error_clean (error, key);
  g_clear_error (&error);
  pd_account_set_base_url (account, NULL);

  g_assert_false (store_add (store, account, "  ", secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);

  /* PesoGate needs its secret; PaysGator would not. */
  g_assert_false (store_add (store, account, key, NULL, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  assert_error_clean (error, key);
  g_clear_error (&error);

  g_assert_false (store_update (store, wallet, "test_x", NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Refused before anything was written. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
  if (session_keyring_problem () != NULL)
    return;
  assert_keyring (pd_account_get_id (account), "api-key", NULL);
  assert_keyring (pd_account_get_id (unnamed), "api-key", NULL);
}

/* Against the session keyring ----------------------------------------------------- */

static void
test_store_add_and_load (void)
{
  g_autoptr(PdAccountStore) store = NULL;
  g_autoptr(PdAccountStore) reloaded = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccount) loaded = NULL;
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");
  g_autofree char *config_dir = NULL;
  g_autofree char *expected_path = NULL;
  g_auto(GStrv) labels = NULL;
  GStatBuf st;

  if (session_keyring_missing ())
    return;

  /* The default path follows XDG_CONFIG_HOME, which main() pointed into the temp dir. */
  store = pd_account_store_new (NULL);
  config_dir = tmp_path ("config");
  expected_path = g_build_filename (config_dir, "paydesk", "accounts.ini", NULL);
  g_assert_cmpstr (pd_account_store_get_path (store), ==, expected_path);

  account = new_pesogate_account ("Corner shop");
  pd_account_set_base_url (account, "http://127.0.0.1:41234/pesogate/api/v1");
  pd_account_set_sandbox (account, TRUE);
  pd_account_set_rate_limit (account, 90);

  g_assert_true (store_add (store, account, key, secret, NULL, &error));
  g_assert_no_error (error);

  /* In the keyring, under the schema, with readable labels. */
  assert_keyring (pd_account_get_id (account), "api-key", key);
  assert_keyring (pd_account_get_id (account), "api-secret", secret);
  labels = keyring_labels (pd_account_get_id (account));
  g_assert_cmpuint (g_strv_length (labels), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) labels, "Paydesk: Corner shop API key"));
  g_assert_true (g_strv_contains ((const char * const *) labels, "Paydesk: Corner shop API secret"));

  /* Not on disk: the key file holds the rest, privately. */
  assert_not_in_files (tmp_root, key);
  assert_not_in_files (tmp_root, secret);
  g_assert_true (key_file_has_account (expected_path, pd_account_get_id (account)));
  g_assert_cmpint (g_stat (expected_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 1);
  g_assert_true (pd_account_store_find (store, pd_account_get_id (account)) == account);

  /* Adding it twice is refused. */
  g_assert_false (store_add (store, account, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);

  /* Another store (the next start of the app) loads the same account. */
  reloaded = pd_account_store_new (NULL);
  accounts = store_load (reloaded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 1);
  loaded = g_list_model_get_item (accounts, 0);
  assert_accounts_equal (loaded, account);

  secrets = store_lookup (reloaded, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_account_secrets_get_api_key (secrets), ==, key);
  g_assert_cmpstr (pd_account_secrets_get_api_secret (secrets), ==, secret);

  g_assert_true (store_remove (reloaded, loaded, &error));
  g_assert_no_error (error);
}

static void
test_store_paysgator (void)
{
  g_autofree char *path = tmp_path ("paysgator/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccountStore) reloaded = pd_account_store_new (path);
  g_autoptr(PdAccount) account = pd_account_new (PD_GATEWAY_PAYSGATOR, "Wallet");
  g_autoptr(PdAccount) edited = NULL;
  g_autoptr(PdAccount) loaded = NULL;
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *test_key = random_secret ("test_");
  g_autofree char *live_key = random_secret ("live_");
  g_autofree char *stray = random_secret ("sk_");
  const char *id = pd_account_get_id (account);

  if (session_keyring_missing ())
    return;

  /* A TEST key makes a TEST account; PaysGator has no secret to keep. */
  g_assert_true (store_add (store, account, test_key, stray, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_account_get_mode (account), ==, PD_MODE_TEST);
  assert_keyring (id, "api-key", test_key);
  assert_keyring (id, "api-secret", NULL);
  assert_not_in_files (tmp_root, stray);

  accounts = store_load (reloaded, &error);
  g_assert_no_error (error);
  loaded = g_list_model_get_item (accounts, 0);
  g_assert_cmpint (pd_account_get_mode (loaded), ==, PD_MODE_TEST);

  secrets = store_lookup (reloaded, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_account_secrets_get_api_key (secrets), ==, test_key);
  g_assert_null (pd_account_secrets_get_api_secret (secrets));

  /* A LIVE key turns it LIVE. */
  edited = pd_account_copy (account);
  g_assert_true (store_update (store, edited, live_key, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pd_account_get_mode (edited), ==, PD_MODE_LIVE);
  assert_keyring (id, "api-key", live_key);
  assert_not_in_files (tmp_root, live_key);

  g_assert_true (store_remove (store, edited, &error));
  g_assert_no_error (error);
  assert_keyring (id, "api-key", NULL);
}

static void
test_store_update (void)
{
  g_autofree char *path = tmp_path ("update/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccountStore) reloaded = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(PdAccount) other = new_pesogate_account ("Other shop");
  g_autoptr(PdAccount) edited = NULL;
  g_autoptr(PdAccount) listed = NULL;
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");
  g_autofree char *new_key = random_secret ("pk_");
  g_autofree char *new_secret = random_secret ("sk_");
  g_autofree char *other_key = random_secret ("pk_");
  g_autofree char *other_secret = random_secret ("sk_");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *id = pd_account_get_id (account);
  const char * const cybersource[] = { "cybersource", NULL };

  if (session_keyring_missing ())
    return;

  g_assert_true (store_add (store, account, key, secret, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store_add (store, other, other_key, other_secret, NULL, &error));
  g_assert_no_error (error);

  /* Fields only: the key file changes, the keyring does not. */
  edited = pd_account_copy (account);
  pd_account_set_display_name (edited, "Shop on the corner");
  pd_account_set_rate_limit (edited, 50);
  pd_account_set_providers (edited, cybersource);
  g_assert_true (store_update (store, edited, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_keyring (id, "api-key", key);
  assert_keyring (id, "api-secret", secret);
  listed = g_list_model_get_item (pd_account_store_get_accounts (store), 0);
  g_assert_true (listed == edited);
  g_clear_object (&listed);

  accounts = store_load (reloaded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (accounts), ==, 2);
  listed = g_list_model_get_item (accounts, 0);
  assert_accounts_equal (listed, edited);
  g_clear_object (&listed);

  /* New secrets replace the old ones, and only this account's. */
  g_assert_true (store_update (store, edited, new_key, new_secret, &error));
  g_assert_no_error (error);
  assert_keyring (id, "api-key", new_key);
  assert_keyring (id, "api-secret", new_secret);
  assert_keyring (pd_account_get_id (other), "api-key", other_key);
  assert_not_in_files (tmp_root, new_key);
  assert_not_in_files (tmp_root, new_secret);

  /* The gateway changes only with a new key; nothing is written otherwise. */
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_clear_object (&edited);
  edited = pd_account_copy (pd_account_store_find (store, id));
  pd_account_set_gateway (edited, PD_GATEWAY_PAYSGATOR);
  g_assert_false (store_update (store, edited, NULL, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  g_assert_true (store_remove (store, account, &error));
  g_assert_no_error (error);
  g_assert_true (store_remove (store, other, &error));
  g_assert_no_error (error);
}

static void
test_store_remove (void)
{
  g_autofree char *path = tmp_path ("remove/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(PdAccount) kept = new_pesogate_account ("Kept");
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");
  g_autofree char *kept_key = random_secret ("pk_");
  g_autofree char *kept_secret = random_secret ("sk_");
  const char *id = pd_account_get_id (account);

  if (session_keyring_missing ())
    return;

  g_assert_true (store_add (store, account, key, secret, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store_add (store, kept, kept_key, kept_secret, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (store_remove (store, account, &error));
  g_assert_no_error (error);
  assert_keyring (id, "api-key", NULL);
  assert_keyring (id, "api-secret", NULL);
  g_assert_false (key_file_has_account (path, id));
  g_assert_null (pd_account_store_find (store, id));
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 1);

  /* The other account is untouched. */
  assert_keyring (pd_account_get_id (kept), "api-key", kept_key);
  g_assert_true (key_file_has_account (path, pd_account_get_id (kept)));

  /* Its secrets are gone for the store too. */
  secrets = store_lookup (store, account, &error);
  g_assert_null (secrets);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing what is already gone is not an error. */
  g_assert_true (store_remove (store, account, &error));
  g_assert_no_error (error);

  g_assert_true (store_remove (store, kept, &error));
  g_assert_no_error (error);
  assert_keyring (pd_account_get_id (kept), "api-key", NULL);
}

static void
test_store_key_file_failure (void)
{
  g_autofree char *blocker = tmp_path ("not-a-folder");
  g_autofree char *blocked_path = g_build_filename (blocker, "accounts.ini", NULL);
  g_autofree char *path = tmp_path ("failure/accounts.ini");
  g_autoptr(PdAccountStore) blocked = pd_account_store_new (blocked_path);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(PdAccount) saved = new_pesogate_account ("Saved");
  g_autoptr(PdAccount) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");
  g_autofree char *new_key = random_secret ("pk_");
  g_autofree char *new_secret = random_secret ("sk_");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *saved_id = pd_account_get_id (saved);
  gboolean ok;

  if (session_keyring_missing ())
    return;

  /* Add: the key file cannot be created, so the secrets just stored go again. */
  g_assert_true (g_file_set_contents (blocker, "a file where a folder should be", -1, NULL));
  g_assert_false (store_add (blocked, account, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO);
  assert_error_clean (error, key);
  assert_error_clean (error, secret);
  g_clear_error (&error);
  assert_keyring (pd_account_get_id (account), "api-key", NULL);
  assert_keyring (pd_account_get_id (account), "api-secret", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (blocked)), ==, 0);

  /* Update: the disk fills up, so the old secrets come back. */
  g_assert_true (store_add (store, saved, key, secret, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  edited = pd_account_copy (saved);
  pd_account_set_display_name (edited, "Renamed");
  fail_file_writes ();
  ok = store_update (store, edited, new_key, new_secret, &error);
  allow_file_writes ();
  g_assert_false (ok);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO);
  assert_error_clean (error, new_key);
  g_clear_error (&error);
  assert_keyring (saved_id, "api-key", key);
  assert_keyring (saved_id, "api-secret", secret);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_true (pd_account_store_find (store, saved_id) == saved);
  g_assert_cmpstr (pd_account_get_display_name (saved), ==, "Saved");

  /* Remove: the entry cannot be dropped, so the secrets are stored again. */
  fail_file_writes ();
  ok = store_remove (store, saved, &error);
  allow_file_writes ();
  g_assert_false (ok);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO);
  g_clear_error (&error);
  assert_keyring (saved_id, "api-key", key);
  assert_keyring (saved_id, "api-secret", secret);
  g_assert_true (key_file_has_account (path, saved_id));
  g_assert_true (pd_account_store_find (store, saved_id) == saved);

  g_assert_true (store_remove (store, saved, &error));
  g_assert_no_error (error);
}

static void
test_store_read_only_dir (void)
{
  g_autofree char *dir = tmp_path ("read-only");
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");

  if (session_keyring_missing ())
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  if (access (dir, W_OK) == 0)
    {
      /* Root writes anyway; the full-disk case covers root. */
      g_test_skip ("permission bits do not stop this user (root): covered by /pd/account-store/key-file-failure");
      return;
    }

  g_assert_false (store_add (store, account, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_IO);
  assert_error_clean (error, key);
  assert_keyring (pd_account_get_id (account), "api-key", NULL);
  assert_keyring (pd_account_get_id (account), "api-secret", NULL);
  g_chmod (dir, 0700);
}

static void
test_store_cancelled (void)
{
  g_autofree char *path = tmp_path ("cancelled/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");

  if (session_keyring_missing ())
    return;

  g_cancellable_cancel (cancellable);
  g_assert_false (store_add (store, account, key, secret, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_keyring (pd_account_get_id (account), "api-key", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
}

/* Private buses, in subprocesses -------------------------------------------------- */

static void
assert_unavailable_and_nothing_written (void)
{
  g_autofree char *path = tmp_path ("no-keyring/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  g_autofree char *secret = random_secret ("sk_");

  g_assert_false (store_add (store, account, key, secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  assert_error_clean (error, key);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
  assert_not_in_files (tmp_root, key);

  secrets = store_lookup (store, account, &error);
  g_assert_null (secrets);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
}

static void
test_store_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", tmp_root);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      assert_unavailable_and_nothing_written ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Lives until the subprocess exits: g_test_dbus_down() would wait for
 * libsecret's cached connection to go, which never happens; GTestDBus's
 * watcher stops the bus when the process ends. */
static GTestDBus *private_bus;

static void
test_store_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      /* A bus with no service files at all: nothing can be activated. */
      private_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (private_bus);
      assert_unavailable_and_nothing_written ();
      return;
    }
  if (!installed ("dbus-daemon"))
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static const char fake_keyring_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Secret.Service'>"
  "    <method name='OpenSession'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='v' direction='in'/>"
  "      <arg type='v' direction='out'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
hold_call (GDBusConnection       *bus,
           const char            *sender,
           const char            *path,
           const char            *interface,
           const char            *method,
           GVariant              *parameters,
           GDBusMethodInvocation *invocation,
           gpointer               user_data)
{
  /* Never answered, like a keyring stuck behind a prompt nobody can see. */
  g_ptr_array_add (user_data, g_object_ref (invocation));
}

static void
refuse_call (GDBusConnection       *bus,
             const char            *sender,
             const char            *path,
             const char            *interface,
             const char            *method,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  (*(guint *) user_data)++;
  g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.AccessDenied",
                                              "Not for you");
}

/* Owns the fake keyring's name and object: kept until the subprocess exits. */
static GDBusConnection *fake_keyring_bus;

/* A private bus on which this process plays the Secret Service, badly. */
static void
start_fake_keyring (GDBusInterfaceMethodCallFunc  method_call,
                    gpointer                      user_data)
{
  const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { NULL } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  GDBusConnection *bus;
  g_autoptr(GVariant) owned = NULL;
  guint32 reply;
  g_autoptr(GError) error = NULL;

  private_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (private_bus);
  fake_keyring_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  bus = fake_keyring_bus;
  info = g_dbus_node_info_new_for_xml (fake_keyring_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/secrets", info->interfaces[0],
                                     &vtable, user_data, NULL, &error);
  g_assert_no_error (error);
  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (owned, "(u)", &reply);
  g_assert_cmpuint (reply, ==, 1);
}

/* Adding fails with @code, quickly, and leaves nothing behind. */
static void
assert_add_fails_cleanly (PdAccountError code)
{
  g_autofree char *path = tmp_path ("fake/accounts.ini");
  g_autoptr(PdAccountStore) store = pd_account_store_new (path);
  g_autoptr(PdAccount) account = new_pesogate_account ("Shop");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = random_secret ("pk_");
  gint64 started = g_get_monotonic_time ();

  pd_account_store_set_keyring_timeout (store, 1);
  g_assert_false (store_add (store, account, key, "sk_x", NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, code);
  assert_error_clean (error, key);
  g_test_message ("%s", error->message);
  /* The deadline ends it, well before D-Bus's own 25 s. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (pd_account_store_get_accounts (store)), ==, 0);
}

static void
test_store_keyring_never_answers (void)
{
  g_autoptr(GPtrArray) held = NULL;

  if (!g_test_subprocess ())
    {
      if (!installed ("dbus-daemon"))
        {
          g_test_skip ("dbus-daemon is not installed");
          return;
        }
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  held = g_ptr_array_new ();
  start_fake_keyring (hold_call, held);
  assert_add_fails_cleanly (PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpuint (held->len, >=, 1);
  for (guint i = 0; i < held->len; i++)
    g_dbus_method_invocation_return_dbus_error (held->pdata[i], "org.freedesktop.DBus.Error.Failed", "Test over");
}

static void
test_store_keyring_refuses (void)
{
  guint calls = 0;

  if (!g_test_subprocess ())
    {
      if (!installed ("dbus-daemon"))
        {
          g_test_skip ("dbus-daemon is not installed");
          return;
        }
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  start_fake_keyring (refuse_call, &calls);
  assert_add_fails_cleanly (PD_ACCOUNT_ERROR_KEYRING_REFUSED);
  g_assert_cmpuint (calls, >=, 1);
}

static GVariant *
secret_service_call (GDBusConnection *bus,
                     const char      *interface,
                     const char      *method,
                     GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       interface, method, parameters, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* Unlocks without a prompter, through gnome-keyring's own interface, with a
 * plain (unencrypted) session: fine on a throwaway private bus. */
static void
unlock_with_password (const char *collection_path,
                      const char *password)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  const char *session;
  GVariant *secret;

  opened = secret_service_call (bus, "org.freedesktop.Secret.Service", "OpenSession",
                                g_variant_new ("(sv)", "plain", g_variant_new_string ("")));
  g_variant_get (opened, "(v&o)", &output, &session);
  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                          "text/plain");
  unlocked = secret_service_call (bus, "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                  "UnlockWithMasterPassword",
                                  g_variant_new ("(o@(oayays))", collection_path, secret));
}

/* gnome-keyring on a private bus, its login keyring created and unlocked
 * with a password this test knows. */
static GSubprocess *
start_private_keyring (void)
{
  g_autofree char *home = tmp_path ("home");
  g_autofree char *runtime_dir = tmp_path ("run");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  GOutputStream *input;

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  private_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (private_bus);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* It warns that it cannot show a prompt: that must not kill it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                        "--foreground", "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  input = g_subprocess_get_stdin_pipe (daemon);
  g_output_stream_write_all (input, PRIVATE_KEYRING_PASSWORD, strlen (PRIVATE_KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (input, NULL, &error);
  g_assert_no_error (error);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) alias = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (owned)
        {
          const char *path = "/";

          alias = secret_service_call (bus, "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"));
          g_variant_get (alias, "(&o)", &path);
          if (!g_str_equal (path, "/"))
            break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  return g_steal_pointer (&daemon);
}

static void
test_store_locked (void)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(PdAccountStore) store = NULL;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(PdAccount) blocked = NULL;
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *blocked_key = NULL;
  g_autofree char *blocked_secret = NULL;
  GList *collections;
  gint64 started;

  if (!g_test_subprocess ())
    {
      if (!installed ("gnome-keyring-daemon") || !installed ("dbus-daemon"))
        {
          g_test_skip ("gnome-keyring-daemon or dbus-daemon is not installed");
          return;
        }
      g_test_trap_subprocess (NULL, 50 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  daemon = start_private_keyring ();
  path = tmp_path ("locked/accounts.ini");
  store = pd_account_store_new (path);
  /* The prompt fails at once here; the deadline is there in case it does not. */
  pd_account_store_set_keyring_timeout (store, 10);
  account = new_pesogate_account ("Shop");
  blocked = new_pesogate_account ("Blocked");
  key = random_secret ("pk_");
  secret = random_secret ("sk_");
  blocked_key = random_secret ("pk_");
  blocked_secret = random_secret ("sk_");

  g_assert_true (store_add (store, account, key, secret, NULL, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  collections = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, collections, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (collections);

  started = g_get_monotonic_time ();

  g_assert_false (store_add (store, blocked, blocked_key, blocked_secret, NULL, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED);
  assert_error_clean (error, blocked_key);
  g_assert_nonnull (strstr (error->message, "Unlock your keyring"));
  g_clear_error (&error);
  g_assert_false (key_file_has_account (path, pd_account_get_id (blocked)));
  g_assert_null (pd_account_store_find (store, pd_account_get_id (blocked)));

  secrets = store_lookup (store, account, &error);
  g_assert_null (secrets);
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  g_assert_false (store_update (store, account, blocked_key, blocked_secret, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  g_assert_false (store_remove (store, account, &error));
  g_assert_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);
  g_assert_true (key_file_has_account (path, pd_account_get_id (account)));
  g_assert_true (pd_account_store_find (store, pd_account_get_id (account)) == account);

  /* Clear errors, not hangs. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);

  /* Unlocked again, everything is as it was and works. */
  unlock_with_password (g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)), PRIVATE_KEYRING_PASSWORD);
  secrets = store_lookup (store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pd_account_secrets_get_api_key (secrets), ==, key);
  g_assert_cmpstr (pd_account_secrets_get_api_secret (secrets), ==, secret);
  g_assert_true (store_add (store, blocked, blocked_key, blocked_secret, NULL, &error));
  g_assert_no_error (error);
  assert_keyring (pd_account_get_id (blocked), "api-key", blocked_key);

  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  static const char * const xdg_dirs[][2] = {
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything reads them: nothing may land in the real home. */
  tmp_root = g_dir_make_tmp ("paydesk-account-store-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = tmp_path (xdg_dirs[i][1]);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/account/new", test_account_new);
  g_test_add_func ("/pd/account/base-url", test_account_base_url);
  g_test_add_func ("/pd/account/paysgator-key-mode", test_account_paysgator_key_mode);
  g_test_add_func ("/pd/account/validate", test_account_validate);
  g_test_add_func ("/pd/account/secrets", test_account_secrets);
  g_test_add_func ("/pd/account-store/load-file", test_store_load_file);
  g_test_add_func ("/pd/account-store/invalid", test_store_invalid);
  g_test_add_func ("/pd/account-store/add-and-load", test_store_add_and_load);
  g_test_add_func ("/pd/account-store/paysgator", test_store_paysgator);
  g_test_add_func ("/pd/account-store/update", test_store_update);
  g_test_add_func ("/pd/account-store/remove", test_store_remove);
  g_test_add_func ("/pd/account-store/key-file-failure", test_store_key_file_failure);
  g_test_add_func ("/pd/account-store/read-only-dir", test_store_read_only_dir);
  g_test_add_func ("/pd/account-store/cancelled", test_store_cancelled);
  g_test_add_func ("/pd/account-store/no-bus", test_store_no_bus);
  g_test_add_func ("/pd/account-store/no-secret-service", test_store_no_secret_service);
  g_test_add_func ("/pd/account-store/keyring-never-answers", test_store_keyring_never_answers);
  g_test_add_func ("/pd/account-store/keyring-refuses", test_store_keyring_refuses);
  g_test_add_func ("/pd/account-store/locked", test_store_locked);

  status = g_test_run ();
  remove_tree (tmp_root);
  g_free (tmp_root);
  return status;
}
