/* pd-application-sandbox.c: PdApplication's sandbox mode: the in-process sandbox, its accounts, its demo data
 *
 * In sandbox mode the sandbox's demo transactions are looked up through the
 * sandbox accounts' clients once per sandbox start and recorded, so the
 * Transactions page shows real answers from the gateway.
 */
#define G_LOG_DOMAIN "pd-application"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-application-private.h"
#include "pd-error.h"

#define SOURCE_DEMO_IMPORT "sandbox demo import"

static const char * const sandbox_pesogate_providers[] = {
  PD_ACCOUNT_PROVIDER_CYBERSOURCE,
  PD_ACCOUNT_PROVIDER_MPGS,
  NULL
};
static const char * const sandbox_pesogate_currencies[] = { "USD", "EUR", "KES", "MZN", NULL };
static const char * const sandbox_paysgator_currencies[] = { "MZN", NULL };

static gboolean
ensure_sandbox (PdApplication  *self,
                GError        **error)
{
  g_autoptr(PdSandbox) sandbox = NULL;

  if (self->sandbox != NULL)
    return TRUE;

  sandbox = pd_sandbox_new (TRUE);
  if (!pd_sandbox_listen (sandbox, 0, error))
    return FALSE;
  g_debug ("Sandbox listening on port %u", pd_sandbox_get_port (sandbox));

  self->sandbox = g_steal_pointer (&sandbox);
  g_object_notify_by_pspec (G_OBJECT (self), pd_application_properties[PROP_SANDBOX]);
  return TRUE;
}

static char *
dup_sandbox_url (PdApplication *self,
                 PdGateway      gateway)
{
  if (gateway == PD_GATEWAY_PESOGATE)
    return pd_sandbox_dup_pesogate_url (self->sandbox);
  return pd_sandbox_dup_paysgator_url (self->sandbox);
}

/* The first sandbox account of @gateway, borrowed from the store's list. */
PdAccount *
pd_application_find_sandbox_account (PdApplication *self,
                                     PdGateway      gateway)
{
  GListModel *accounts = pd_account_store_get_accounts (self->account_store);
  guint n = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      if (pd_account_get_sandbox (account) && pd_account_get_gateway (account) == gateway)
        return account;
    }
  return NULL;
}

static void
explore_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  GAction *action;

  account_id = pd_application_explore_sandbox_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);

  if (account_id == NULL)
    {
      pd_application_report_error (self, _("The sandbox could not be set up"), error->message);
      return;
    }
  pd_application_select_account (self, account_id);
  pd_application_open_start_page (self);
  pd_application_import_demo (self);
}

void
pd_application_explore_sandbox (PdApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");

  /* One exploration at a time: a second click would add the accounts twice. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
  pd_application_explore_sandbox_async (self, self->cancellable, explore_done_cb, g_object_ref (self));
}

/* Sandbox accounts point at the sandbox of this run ------------------------- */

typedef struct
{
  PdApplication *self;
  GPtrArray     *updates;
  guint          next;
} SyncData;

static void
sync_data_free (SyncData *data)
{
  g_object_unref (data->self);
  g_ptr_array_unref (data->updates);
  g_free (data);
}

static void sync_next (SyncData *data);

static void
sync_updated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!pd_account_store_update_finish (PD_ACCOUNT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          pd_application_report_error (data->self, _("The sandbox accounts could not be saved"), error->message);
          /* They point at this sandbox in memory all the same. */
          pd_application_import_demo (data->self);
        }
      sync_data_free (data);
      return;
    }
  sync_next (data);
}

static void
sync_next (SyncData *data)
{
  if (data->next == data->updates->len)
    {
      pd_application_import_demo (data->self);
      sync_data_free (data);
      return;
    }
  pd_account_store_update_async (data->self->account_store,
                                 g_ptr_array_index (data->updates, data->next++),
                                 NULL, data->self->cancellable,
                                 sync_updated_cb, data);
}

/* The sandbox's port is new at every start: its accounts are pointed at it in
 * memory at once, so they are ready to use, and then saved in the background. */
void
pd_application_sync_sandbox_accounts (PdApplication *self)
{
  GListModel *accounts = pd_account_store_get_accounts (self->account_store);
  guint n = g_list_model_get_n_items (accounts);
  g_autoptr(GError) error = NULL;
  SyncData *data;

  if (!ensure_sandbox (self, &error))
    {
      pd_application_report_error (self, _("The sandbox could not start, so the sandbox accounts cannot be used"),
                                   error->message);
      return;
    }

  data = g_new0 (SyncData, 1);
  data->self = g_object_ref (self);
  data->updates = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *url = NULL;

      if (!pd_account_get_sandbox (account))
        continue;
      url = dup_sandbox_url (self, pd_account_get_gateway (account));
      if (g_strcmp0 (url, pd_account_get_base_url (account)) == 0)
        continue;
      pd_account_set_base_url (account, url);
      g_ptr_array_add (data->updates, pd_account_copy (account));
    }
  sync_next (data);
}

/* Explore with the sandbox --------------------------------------------------- */

typedef struct
{
  GPtrArray *to_add;
  guint      next;
  char      *first_id;
} ExploreData;

static void
explore_data_free (ExploreData *data)
{
  g_ptr_array_unref (data->to_add);
  g_free (data->first_id);
  g_free (data);
}

static PdAccount *
new_sandbox_account (PdApplication *self,
                     PdGateway      gateway)
{
  g_autoptr(PdAccount) account = NULL;
  g_autofree char *url = dup_sandbox_url (self, gateway);

  if (gateway == PD_GATEWAY_PESOGATE)
    {
      account = pd_account_new (gateway, _("PesoGate Sandbox"));
      pd_account_set_providers (account, sandbox_pesogate_providers);
      pd_account_set_currencies (account, sandbox_pesogate_currencies);
      pd_account_set_mode (account, PD_MODE_TEST);
    }
  else
    {
      account = pd_account_new (gateway, _("PaysGator Sandbox"));
      pd_account_set_currencies (account, sandbox_paysgator_currencies);
    }
  pd_account_set_base_url (account, url);
  pd_account_set_sandbox (account, TRUE);
  return g_steal_pointer (&account);
}

static void explore_add_next (GTask *task);

static void
explore_added_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pd_account_store_add_finish (PD_ACCOUNT_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  explore_add_next (g_steal_pointer (&task));
}

/* Takes @task. */
static void
explore_add_next (GTask *task)
{
  PdApplication *self = g_task_get_source_object (task);
  ExploreData *data = g_task_get_task_data (task);
  g_autoptr(PdAccountSecrets) secrets = NULL;
  PdAccount *account;

  if (data->next == data->to_add->len)
    {
      g_task_return_pointer (task, g_strdup (data->first_id), g_free);
      g_object_unref (task);
      return;
    }

  account = g_ptr_array_index (data->to_add, data->next++);
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE)
    secrets = pd_account_secrets_new (PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  else
    secrets = pd_account_secrets_new (PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);

  pd_account_store_add_async (self->account_store, account, secrets,
                              g_task_get_cancellable (task), explore_added_cb, task);
}

/**
 * pd_application_explore_sandbox_async:
 * @self: the application
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when both sandbox accounts exist
 * @user_data: data for @callback
 *
 * Starts the in-process sandbox with demo data if it is not running, then
 * adds one sandbox account per gateway through the account store (keys in
 * the keyring, like any account) unless one exists already.
 */
void
pd_application_explore_sandbox_async (PdApplication       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExploreData *data;
  PdAccount *pesogate;
  PdAccount *paysgator;
  GError *error = NULL;

  g_return_if_fail (PD_IS_APPLICATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_application_explore_sandbox_async);

  if (!ensure_sandbox (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (ExploreData, 1);
  data->to_add = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) explore_data_free);

  pesogate = pd_application_find_sandbox_account (self, PD_GATEWAY_PESOGATE);
  paysgator = pd_application_find_sandbox_account (self, PD_GATEWAY_PAYSGATOR);
  if (pesogate == NULL)
    {
      pesogate = new_sandbox_account (self, PD_GATEWAY_PESOGATE);
      g_ptr_array_add (data->to_add, pesogate);
    }
  if (paysgator == NULL)
    g_ptr_array_add (data->to_add, new_sandbox_account (self, PD_GATEWAY_PAYSGATOR));
  data->first_id = g_strdup (pd_account_get_id (pesogate));

  explore_add_next (g_steal_pointer (&task));
}

/**
 * pd_application_explore_sandbox_finish:
 * @self: the application
 * @result: the result
 * @error: return location for an error (%PD_ACCOUNT_ERROR, or the sandbox's)
 *
 * Returns: (transfer full): the id of the PesoGate sandbox account, the one to show first
 */
char *
pd_application_explore_sandbox_finish (PdApplication  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_application_explore_sandbox_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The sandbox's demo transactions ------------------------------------------------ */

typedef struct
{
  GCancellable     *cancellable;
  PdAccountSession *session;
  GStrv             ids;
  guint             next;
  guint             recorded;
} DemoImport;

static void
demo_import_free (DemoImport *import)
{
  if (import->session != NULL)
    g_debug ("Imported %u of %u demo transactions of %s", import->recorded, g_strv_length (import->ids),
             pd_account_get_display_name (pd_account_session_get_account (import->session)));
  g_clear_object (&import->cancellable);
  g_clear_object (&import->session);
  g_clear_pointer (&import->ids, g_strfreev);
  g_free (import);
}

static void demo_import_next (DemoImport *import);

static void
demo_looked_up_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DemoImport *import = user_data;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  transaction = pd_account_session_look_up_finish (PD_ACCOUNT_SESSION (source), result, &error);
  if (transaction != NULL)
    import->recorded++;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED))
    {
      demo_import_free (import);
      return;
    }
  else
    g_debug ("Demo transaction %s not imported: %s", import->ids[import->next - 1], error->message);
  demo_import_next (import);
}

static void
demo_import_next (DemoImport *import)
{
  if (import->ids[import->next] == NULL || g_cancellable_is_cancelled (import->cancellable))
    {
      demo_import_free (import);
      return;
    }
  /* One at a time, behind anything a person asks. */
  pd_account_session_look_up_async (import->session, import->ids[import->next++], PD_HTTP_FLAGS_BACKGROUND,
                                    SOURCE_DEMO_IMPORT, import->cancellable, demo_looked_up_cb, import);
}

static void
demo_session_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DemoImport *import = user_data;
  g_autoptr(GError) error = NULL;

  import->session = pd_application_open_session_finish (PD_APPLICATION (source), result, &error);
  if (import->session == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Demo transactions not imported: %s", error->message);
      demo_import_free (import);
      return;
    }
  demo_import_next (import);
}

/* The strings of @member of @object, or NULL. */
static GStrv
dup_string_array (JsonObject *object,
                  const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
start_demo_import (PdApplication *self,
                   PdGateway      gateway,
                   GStrv          ids)
{
  PdAccount *account = pd_application_find_sandbox_account (self, gateway);
  DemoImport *import;

  if (account == NULL || ids == NULL || ids[0] == NULL)
    {
      g_strfreev (ids);
      return;
    }
  import = g_new0 (DemoImport, 1);
  import->cancellable = g_object_ref (self->cancellable);
  import->ids = ids;
  pd_application_open_session_async (self, account, self->cancellable, demo_session_cb, import);
}

static void
demo_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PdApplication) self = g_weak_ref_get (ref);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  JsonNode *root;
  JsonObject *info;

  pd_application_weak_ref_free (ref);
  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  if (body == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      g_debug ("The sandbox's demo data could not be read: %s",
               error != NULL ? error->message : soup_message_get_reason_phrase (message));
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error))
    {
      g_debug ("The sandbox's demo data could not be read: %s", error->message);
      return;
    }
  root = json_parser_get_root (parser);
  info = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  start_demo_import (self, PD_GATEWAY_PESOGATE,
                     dup_string_array (get_object_member (info, "pesogate"), "references"));
  start_demo_import (self, PD_GATEWAY_PAYSGATOR,
                     dup_string_array (get_object_member (info, "paysgator"), "test_transactions"));
}

/* Once per sandbox start, when the sandbox accounts point at it and the
 * ledger is open: the sandbox's info lists its demo ids, and each is looked
 * up through the account's client like any transaction. */
void
pd_application_import_demo (PdApplication *self)
{
  g_autoptr(SoupSession) http = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;

  if (self->demo_import_started || self->sandbox == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!self->ledger_done)
    {
      self->demo_import_wanted = TRUE;
      return;
    }
  self->demo_import_started = TRUE;
  if (self->ledger == NULL)
    return;

  origin = pd_sandbox_dup_origin (self->sandbox);
  url = g_strconcat (origin, "/_sandbox/info", NULL);
  http = soup_session_new ();
  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_and_read_async (http, message, G_PRIORITY_DEFAULT, self->cancellable,
                                    demo_info_cb, pd_application_weak_ref_new (self));
}
