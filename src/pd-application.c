/* pd-application.c: Paydesk's AdwApplication: settings, accounts, ledger, sessions, sandbox, app actions
 *
 * The application owns what outlives a window: the settings object, the
 * account store, the ledger, one open session per account and, when a
 * sandbox account exists or the user explores, the in-process sandbox on a
 * free loopback port. It is "ready" once the accounts are read and the
 * sandbox accounts point at this run's sandbox; windows show a spinner
 * until then.
 *
 * The ledger opens in the background at start-up; sessions asked for before
 * it is open wait for it. When it cannot be opened the app runs without
 * history, and says so. A session is cached per account id and dropped when
 * the account is changed or removed; a dropped session stops refreshing.
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

#include "paydesk-resources.h"
#include "pd-application.h"
#include "pd-error.h"
#include "pd-preferences-window.h"
#include "pd-window.h"

#define RESOURCE_PATH "/io/github/paydesk/Paydesk"

#define SOURCE_DEMO_IMPORT "sandbox demo import"

struct _PdApplication
{
  AdwApplication  parent_instance;

  PdSettings     *settings;
  PdAccountStore *account_store;
  PdSandbox      *sandbox;
  GCancellable   *cancellable;
  GtkWindow      *preferences;

  char           *ledger_path;
  PdLedger       *ledger;
  /* Set once the ledger opened or failed to. */
  gboolean        ledger_done;
  /* Why it failed, until a window shows it. */
  char           *ledger_error;
  /* open_session tasks waiting for the ledger. */
  GPtrArray      *waiting_for_ledger;
  /* Account id → SessionEntry. */
  GHashTable     *sessions;
  /* PendingOpen, one per account object being opened. */
  GPtrArray      *opening;
  gulong          accounts_changed_id;

  gboolean        demo_import_wanted;
  gboolean        demo_import_started;

  gboolean        ready;
  /* From the command line, carried out once ready. */
  gboolean        start_in_sandbox;
  char           *start_page;
};

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACCOUNT_STORE,
  PROP_SANDBOX,
  PROP_READY,
  PROP_LEDGER,
  PROP_LEDGER_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const pages[] = {
  PD_PAGE_TRANSACTIONS,
  PD_PAGE_NEW_PAYMENT,
  PD_PAGE_PAYMENT_LINKS,
  PD_PAGE_SUBSCRIPTIONS,
  PD_PAGE_WALLET,
  NULL
};

static const char * const sandbox_pesogate_providers[] = {
  PD_ACCOUNT_PROVIDER_CYBERSOURCE,
  PD_ACCOUNT_PROVIDER_MPGS,
  NULL
};
static const char * const sandbox_pesogate_currencies[] = { "USD", "EUR", "KES", "MZN", NULL };
static const char * const sandbox_paysgator_currencies[] = { "MZN", NULL };

/* The most recently used main window, if any. */
static PdWindow *
get_main_window (PdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PD_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
report_error (PdApplication *self,
              const char    *message,
              const char    *detail)
{
  PdWindow *window = get_main_window (self);

  if (window != NULL)
    pd_window_show_error (window, message, detail);
  else
    g_message ("%s: %s", message, detail);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX]);
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
static PdAccount *
find_sandbox_account (PdApplication *self,
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
select_account (PdApplication *self,
                const char    *account_id)
{
  PdWindow *window = get_main_window (self);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.select-account", "s", account_id);
}

/* --page: opens the page, on an account that offers it if the current one does not. */
static void
open_start_page (PdApplication *self)
{
  g_autofree char *page = g_steal_pointer (&self->start_page);
  PdWindow *window = get_main_window (self);
  PdAccount *current;
  GListModel *accounts;
  guint n;

  if (page == NULL || window == NULL)
    return;

  current = pd_window_get_account (window);
  if (current == NULL)
    return;

  accounts = pd_account_store_get_accounts (self->account_store);
  n = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n && !pd_window_page_is_offered (window, page); i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (accounts, i);

      if (pd_window_gateway_offers_page (pd_account_get_gateway (account), page))
        select_account (self, pd_account_get_id (account));
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page);
}

static void import_demo (PdApplication *self);

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
      report_error (self, _("The sandbox could not be set up"), error->message);
      return;
    }
  select_account (self, account_id);
  open_start_page (self);
  import_demo (self);
}

static void
explore_sandbox (PdApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");

  /* One exploration at a time: a second click would add the accounts twice. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
  pd_application_explore_sandbox_async (self, self->cancellable, explore_done_cb, g_object_ref (self));
}

/* What the command line asked for, once the accounts are known. */
static void
carry_out_start_requests (PdApplication *self)
{
  if (!self->ready)
    return;

  if (self->start_in_sandbox)
    {
      self->start_in_sandbox = FALSE;
      explore_sandbox (self);
      return;
    }
  open_start_page (self);
}

static void
set_ready (PdApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");

  if (self->ready)
    return;
  self->ready = TRUE;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  carry_out_start_requests (self);
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
          report_error (data->self, _("The sandbox accounts could not be saved"), error->message);
          /* They point at this sandbox in memory all the same. */
          import_demo (data->self);
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
      import_demo (data->self);
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
static void
sync_sandbox_accounts (PdApplication *self)
{
  GListModel *accounts = pd_account_store_get_accounts (self->account_store);
  guint n = g_list_model_get_n_items (accounts);
  g_autoptr(GError) error = NULL;
  SyncData *data;

  if (!ensure_sandbox (self, &error))
    {
      report_error (self, _("The sandbox could not start, so the sandbox accounts cannot be used"),
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

static void
accounts_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdApplication) self = user_data;
  g_autoptr(GListModel) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = pd_account_store_load_finish (PD_ACCOUNT_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (accounts == NULL)
    report_error (self, _("Your accounts could not be read"), error->message);

  if (find_sandbox_account (self, PD_GATEWAY_PESOGATE) != NULL ||
      find_sandbox_account (self, PD_GATEWAY_PAYSGATOR) != NULL)
    sync_sandbox_accounts (self);
  set_ready (self);
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

  pesogate = find_sandbox_account (self, PD_GATEWAY_PESOGATE);
  paysgator = find_sandbox_account (self, PD_GATEWAY_PAYSGATOR);
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

/* The ledger ------------------------------------------------------------------- */

static void start_open (PdApplication *self,
                        GTask         *task);

static void
show_ledger_error (PdApplication *self)
{
  PdWindow *window = get_main_window (self);
  g_autofree char *detail = NULL;

  if (window == NULL || self->ledger_error == NULL)
    return;
  detail = g_steal_pointer (&self->ledger_error);
  pd_window_show_error (window, _("Your transaction history could not be opened, so payments are not remembered"),
                        detail);
}

static void
ledger_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PdApplication) self = g_weak_ref_get (ref);
  g_autoptr(PdLedger) ledger = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  weak_ref_free (ref);
  ledger = pd_ledger_new_finish (result, &error);
  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->ledger_done = TRUE;
  if (ledger == NULL)
    {
      g_autofree char *path = self->ledger_path ? g_strdup (self->ledger_path) : pd_ledger_get_default_path ();

      /* Translators: the first %s is why, the second the file's path */
      self->ledger_error = g_strdup_printf (_("%s (%s)"), error->message, path);
      show_ledger_error (self);
    }
  else
    {
      self->ledger = g_steal_pointer (&ledger);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEDGER]);
    }

  waiting = g_steal_pointer (&self->waiting_for_ledger);
  self->waiting_for_ledger = g_ptr_array_new_with_free_func (g_object_unref);
  /* Each task goes on to start_open(), which takes it. */
  g_ptr_array_set_free_func (waiting, NULL);
  for (guint i = 0; i < waiting->len; i++)
    start_open (self, g_ptr_array_index (waiting, i));

  if (self->demo_import_wanted)
    import_demo (self);
}

/* Sessions ----------------------------------------------------------------------- */

typedef struct
{
  PdAccountSession *session;
  PdAccount        *account;
  char             *fingerprint;
  gulong            notify_id;
  GBinding         *interval_binding;
} SessionEntry;

static void
session_entry_free (SessionEntry *entry)
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
static void
accounts_changed_cb (PdApplication *self)
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

typedef struct
{
  GWeakRef   app;
  PdAccount *account;
  GPtrArray *tasks;
} PendingOpen;

static void
pending_open_clear (PendingOpen *pending)
{
  g_weak_ref_clear (&pending->app);
  g_clear_object (&pending->account);
  g_clear_pointer (&pending->tasks, g_ptr_array_unref);
}

static void
pending_open_unref (PendingOpen *pending)
{
  g_rc_box_release_full (pending, (GDestroyNotify) pending_open_clear);
}

static void
return_cancelled (GPtrArray *tasks)
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
  pending_open_unref (pending);
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
  PdAccount *account = find_sandbox_account (self, gateway);
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

  weak_ref_free (ref);
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
static void
import_demo (PdApplication *self)
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
                                    demo_info_cb, weak_ref_new (self));
}

/* App actions ---------------------------------------------------------------- */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PdApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing, not quitting outright, lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PdApplication *self = user_data;

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (pd_preferences_window_new (self->account_store));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_set_transient_for (self->preferences, GTK_WINDOW (get_main_window (self)));
      gtk_application_add_window (GTK_APPLICATION (self), self->preferences);
    }
  gtk_window_present (self->preferences);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PdApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/pd-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (window, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PdApplication *self = user_data;
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Paydesk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Paydesk developers"),
                        "copyright", _("© The Paydesk developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/paydesk/paydesk",
                        "issue-url", "https://github.com/paydesk/paydesk/issues",
                        /* Translators: your name and address, one translator per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
explore_sandbox_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  explore_sandbox (user_data);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "explore-sandbox", explore_sandbox_action },
};

/* GApplication ------------------------------------------------------------------ */

static void
pd_application_startup (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };
  GAction *explore;

  G_APPLICATION_CLASS (pd_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  /* Until the accounts are known, exploring could add the sandbox accounts twice. */
  explore = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (explore), FALSE);

  gtk_window_set_default_icon_name (APP_ID);

  pd_account_store_load_async (self->account_store, self->cancellable,
                               accounts_loaded_cb, g_object_ref (self));
  pd_ledger_new_async (self->ledger_path, self->cancellable, ledger_opened_cb, weak_ref_new (self));
}

static void
pd_application_shutdown (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->sandbox != NULL)
    pd_sandbox_disconnect (self->sandbox);

  /* Nobody waits for a session any more: their views are gone. */
  return_cancelled (self->waiting_for_ledger);
  for (guint i = 0; i < self->opening->len; i++)
    return_cancelled (((PendingOpen *) g_ptr_array_index (self->opening, i))->tasks);
  g_ptr_array_set_size (self->opening, 0);
  g_hash_table_remove_all (self->sessions);

  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (application);
}

static void
pd_application_activate (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  PdWindow *window = get_main_window (self);

  if (window == NULL)
    window = pd_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  show_ledger_error (self);
}

static int
pd_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  PdApplication *self = PD_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *page = NULL;

  if (g_variant_dict_lookup (options, "page", "&s", &page) && !g_strv_contains (pages, page))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) pages);

      /* Translators: %s is a page name the user typed, then the list of valid names */
      g_application_command_line_printerr (command_line, _("There is no page “%s”. Choose one of: %s.\n"),
                                           page, known);
      return EXIT_FAILURE;
    }

  if (g_variant_dict_contains (options, "sandbox"))
    self->start_in_sandbox = TRUE;
  if (page != NULL)
    {
      g_free (self->start_page);
      self->start_page = g_strdup (page);
    }

  g_application_activate (application);
  carry_out_start_requests (self);
  return EXIT_SUCCESS;
}

/* GObject ------------------------------------------------------------------------ */

static void
pd_application_constructed (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  G_OBJECT_CLASS (pd_application_parent_class)->constructed (object);

  /* The development profile has its own app id but the same resources. */
  g_application_set_resource_base_path (G_APPLICATION (self), RESOURCE_PATH);

  if (self->settings == NULL)
    self->settings = pd_settings_new (NULL);
  if (self->account_store == NULL)
    self->account_store = pd_account_store_new (NULL);

  self->accounts_changed_id = g_signal_connect_object (pd_account_store_get_accounts (self->account_store),
                                                       "items-changed", G_CALLBACK (accounts_changed_cb),
                                                       self, G_CONNECT_SWAPPED);
}

static void
pd_application_dispose (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sandbox != NULL)
    pd_sandbox_disconnect (self->sandbox);
  g_clear_object (&self->sandbox);
  if (self->account_store != NULL)
    g_clear_signal_handler (&self->accounts_changed_id, pd_account_store_get_accounts (self->account_store));
  if (self->sessions != NULL)
    g_hash_table_remove_all (self->sessions);
  g_clear_object (&self->ledger);
  g_clear_object (&self->account_store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pd_application_parent_class)->dispose (object);
}

static void
pd_application_finalize (GObject *object)
{
  PdApplication *self = PD_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->start_page, g_free);
  g_clear_pointer (&self->ledger_path, g_free);
  g_clear_pointer (&self->ledger_error, g_free);
  g_clear_pointer (&self->waiting_for_ledger, g_ptr_array_unref);
  g_clear_pointer (&self->opening, g_ptr_array_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);

  G_OBJECT_CLASS (pd_application_parent_class)->finalize (object);
}

static void
pd_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PdApplication *self = PD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_ACCOUNT_STORE:
      g_value_set_object (value, self->account_store);
      break;
    case PROP_SANDBOX:
      g_value_set_object (value, self->sandbox);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_LEDGER_PATH:
      g_value_set_string (value, self->ledger_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PdApplication *self = PD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_STORE:
      self->account_store = g_value_dup_object (value);
      break;
    case PROP_LEDGER_PATH:
      self->ledger_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_application_class_init (PdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = pd_application_constructed;
  object_class->dispose = pd_application_dispose;
  object_class->finalize = pd_application_finalize;
  object_class->get_property = pd_application_get_property;
  object_class->set_property = pd_application_set_property;

  application_class->startup = pd_application_startup;
  application_class->shutdown = pd_application_shutdown;
  application_class->activate = pd_application_activate;
  application_class->command_line = pd_application_command_line;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         PD_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_STORE] =
    g_param_spec_object ("account-store", NULL, NULL,
                         PD_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL,
                         PD_TYPE_SANDBOX,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* NULL until the ledger is open, and for good when it could not be opened. */
  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         PD_TYPE_LEDGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* NULL for pd_ledger_get_default_path(). */
  properties[PROP_LEDGER_PATH] =
    g_param_spec_string ("ledger-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Registered by hand: the linker drops an unreferenced constructor from a static library. */
  paydesk_register_resource ();
}

static void
pd_application_init (PdApplication *self)
{
  static const GOptionEntry options[] = {
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Try Paydesk with test accounts on its built-in sandbox; no real money moves"), NULL },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open a page: transactions, new-payment, payment-links, subscriptions or wallet"), N_("PAGE") },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  self->waiting_for_ledger = g_ptr_array_new_with_free_func (g_object_unref);
  self->opening = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_open_unref);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_entry_free);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/**
 * pd_application_new:
 * @settings: (nullable): the settings to use; %NULL for the user's
 * @account_store: (nullable): the accounts to use; %NULL for the user's
 */
PdApplication *
pd_application_new (PdSettings     *settings,
                    PdAccountStore *account_store)
{
  g_return_val_if_fail (settings == NULL || PD_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (account_store == NULL || PD_IS_ACCOUNT_STORE (account_store), NULL);

  return g_object_new (PD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "settings", settings,
                       "account-store", account_store,
                       NULL);
}

PdSettings *
pd_application_get_settings (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  return self->settings;
}

PdAccountStore *
pd_application_get_account_store (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  return self->account_store;
}

/**
 * pd_application_get_sandbox:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the running sandbox, if any
 */
PdSandbox *
pd_application_get_sandbox (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  return self->sandbox;
}

/**
 * pd_application_get_ready:
 * @self: the application
 *
 * Returns: whether the accounts are read and the sandbox accounts usable
 */
gboolean
pd_application_get_ready (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), FALSE);

  return self->ready;
}

/**
 * pd_application_get_ledger:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the open ledger; %NULL until it is
 *   open, or when it could not be opened (the app then runs without history)
 */
PdLedger *
pd_application_get_ledger (PdApplication *self)
{
  g_return_val_if_fail (PD_IS_APPLICATION (self), NULL);

  return self->ledger;
}
