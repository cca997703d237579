/* pd-account-editor-connection.c: PdAccountEditor's Test Connection, and the keys for a test or a save */
#define G_LOG_DOMAIN "pd-account-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-editor-private.h"
#include "pd-error.h"
#include "pd-paysgator.h"
#include "pd-pesogate.h"

/* A person waits for the answer: one try, and not the full default timeout. */
#define TEST_TIMEOUT_SECONDS 20

void
pd_account_editor_set_test_status (PdAccountEditor *self,
                                   Status           status,
                                   const char      *text)
{
  GtkWidget *icon = GTK_WIDGET (self->test_icon);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), text);
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "dim-label");
  switch (status)
    {
    case STATUS_SUCCESS:
      gtk_image_set_from_icon_name (self->test_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      break;
    case STATUS_FAILURE:
      gtk_image_set_from_icon_name (self->test_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      break;
    case STATUS_NONE:
    default:
      gtk_image_set_from_icon_name (self->test_icon, "network-transmit-receive-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      break;
    }
}

/* An earlier test says nothing about other keys or another address. */
void
pd_account_editor_connection_details_changed (PdAccountEditor *self)
{
  self->test_generation++;
  if (!self->testing)
    pd_account_editor_set_test_status (self, STATUS_NONE, _("Not tested yet"));
}

/* Keys for a test or a save ------------------------------------------------------- */

static void run_test (PdAccountEditor *self, PdAccountSecrets *secrets);
static void test_finished (PdAccountEditor *self, guint generation, const GError *error);

typedef struct
{
  PdAccountEditor  *self;
  PdAccountSecrets *typed;
  Purpose           purpose;
  guint             generation;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->typed, pd_account_secrets_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookupData, lookup_data_free)

static void
stored_secrets_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  PdAccountEditor *self = data->self;
  g_autoptr(PdAccountSecrets) stored = NULL;
  g_autoptr(PdAccountSecrets) merged = NULL;
  g_autoptr(GError) error = NULL;
  const char *key;
  const char *secret = NULL;

  stored = pd_account_store_lookup_secrets_finish (PD_ACCOUNT_STORE (source), result, &error);
  if (data->purpose == PURPOSE_TEST && g_cancellable_is_cancelled (self->cancellable))
    return;

  if (stored == NULL)
    {
      if (data->purpose == PURPOSE_TEST)
        test_finished (self, data->generation, error);
      else
        pd_account_editor_save_failed (self, error);
      return;
    }

  /* A field left empty keeps what the keyring has. */
  key = pd_account_secrets_get_api_key (data->typed);
  if (key == NULL)
    key = pd_account_secrets_get_api_key (stored);
  if (pd_account_get_gateway (self->account) == PD_GATEWAY_PESOGATE)
    {
      secret = pd_account_secrets_get_api_secret (data->typed);
      if (secret == NULL)
        secret = pd_account_secrets_get_api_secret (stored);
    }
  merged = pd_account_secrets_new (key, secret);

  if (data->purpose == PURPOSE_TEST)
    run_test (self, merged);
  else
    pd_account_editor_run_save (self, merged);
}

/* Completes the typed keys with the stored ones when editing. A save with
 * both key fields empty keeps the stored keys untouched (NULL secrets). */
void
pd_account_editor_with_secrets (PdAccountEditor *self,
                                Purpose          purpose)
{
  g_autoptr(PdAccountSecrets) typed = pd_account_editor_typed_secrets (self);
  gboolean pesogate = pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE;
  gboolean has_key = pd_account_secrets_get_api_key (typed) != NULL;
  gboolean has_secret = pd_account_secrets_get_api_secret (typed) != NULL;
  LookupData *data;

  if (self->account == NULL || (has_key && (has_secret || !pesogate)))
    {
      if (purpose == PURPOSE_TEST)
        run_test (self, typed);
      else
        pd_account_editor_run_save (self, typed);
      return;
    }
  if (purpose == PURPOSE_SAVE && !has_key && !has_secret)
    {
      pd_account_editor_run_save (self, NULL);
      return;
    }

  data = g_new0 (LookupData, 1);
  data->self = g_object_ref (self);
  data->typed = g_steal_pointer (&typed);
  data->purpose = purpose;
  data->generation = self->test_generation;
  /* A save the user asked for goes through even if the page closes. */
  pd_account_store_lookup_secrets_async (self->account_store, self->account,
                                         purpose == PURPOSE_TEST ? self->cancellable : NULL,
                                         stored_secrets_cb, data);
}

/* Test Connection ------------------------------------------------------------------ */

static gboolean
is_cancellation (const GError *error)
{
  return g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_finished (PdAccountEditor *self,
               guint            generation,
               const GError    *error)
{
  pd_account_editor_set_busy (self, FALSE, self->saving);
  pd_account_editor_update_state (self);

  if (generation != self->test_generation)
    {
      pd_account_editor_set_test_status (self, STATUS_NONE, _("Not tested yet"));
      return;
    }
  if (error == NULL)
    pd_account_editor_set_test_status (self, STATUS_SUCCESS, _("Connected: the keys work."));
  else if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED))
    pd_account_editor_set_test_status (self, STATUS_FAILURE,
                                       pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE
                                       ? _("The gateway refused these keys (401). Check the API key and secret.")
                                       : _("The gateway refused this key (401). Check the API key."));
  else
    pd_account_editor_set_test_status (self, STATUS_FAILURE, error->message);
}

typedef struct
{
  PdAccountEditor *self;
  guint            generation;
} TestData;

static void
credentials_checked_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(PdAccountEditor) self = data->self;
  guint generation = data->generation;
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (PD_IS_PESOGATE (source))
    pd_pesogate_check_credentials_finish (PD_PESOGATE (source), result, &error);
  else
    pd_paysgator_check_credentials_finish (PD_PAYSGATOR (source), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable) || is_cancellation (error))
    return;
  test_finished (self, generation, error);
}

static void
run_test (PdAccountEditor  *self,
          PdAccountSecrets *secrets)
{
  g_autofree char *base_url = pd_account_editor_dup_stripped (self->base_url_row);
  const char *key = pd_account_secrets_get_api_key (secrets);
  const char *secret = pd_account_secrets_get_api_secret (secrets);
  g_autoptr(GObject) client = NULL;
  g_autoptr(GError) error = NULL;
  TestData *data;
  PdHttp *http;

  if (key == NULL || (pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE && secret == NULL))
    {
      g_set_error_literal (&error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID,
                           _("Enter the API key, and for PesoGate the API secret, to test them."));
      test_finished (self, self->test_generation, error);
      return;
    }

  if (pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE)
    {
      client = (GObject *) pd_pesogate_new (base_url, key, secret, NULL, &error);
      http = client ? pd_pesogate_get_http (PD_PESOGATE (client)) : NULL;
    }
  else
    {
      client = (GObject *) pd_paysgator_new (base_url, key, NULL, &error);
      http = client ? pd_paysgator_get_http (PD_PAYSGATOR (client)) : NULL;
    }
  if (client == NULL)
    {
      test_finished (self, self->test_generation, error);
      return;
    }
  pd_http_set_max_attempts (http, 1);
  pd_http_set_timeout (http, TEST_TIMEOUT_SECONDS);

  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->generation = self->test_generation;
  if (PD_IS_PESOGATE (client))
    pd_pesogate_check_credentials_async (PD_PESOGATE (client), self->cancellable, credentials_checked_cb, data);
  else
    pd_paysgator_check_credentials_async (PD_PAYSGATOR (client), self->cancellable, credentials_checked_cb, data);
}

void
pd_account_editor_test_connection_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (widget);

  if (!pd_account_editor_can_test (self))
    return;
  pd_account_editor_set_busy (self, TRUE, self->saving);
  pd_account_editor_set_test_status (self, STATUS_NONE, _("Testing…"));
  pd_account_editor_with_secrets (self, PURPOSE_TEST);
}
