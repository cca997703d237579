/* pd-application.c: Paydesk's AdwApplication: settings, accounts, ledger, sessions, sandbox, app actions
 *
 * The application owns what outlives a window: the settings object, the
 * account store, the ledger, one open session per account and, when a
 * sandbox account exists or the user explores, the in-process sandbox on a
 * free loopback port. It is "ready" once the accounts are read and the
 * sandbox accounts point at this run's sandbox; windows show a spinner
 * until then.
 */
#define G_LOG_DOMAIN "pd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "paydesk-resources.h"
#include "pd-application-private.h"

G_DEFINE_FINAL_TYPE (PdApplication, pd_application, ADW_TYPE_APPLICATION)

GParamSpec *pd_application_properties[N_PROPS];

static const char * const pages[] = {
  PD_PAGE_TRANSACTIONS,
  PD_PAGE_NEW_PAYMENT,
  PD_PAGE_PAYMENT_LINKS,
  PD_PAGE_SUBSCRIPTIONS,
  PD_PAGE_WALLET,
  NULL
};

/* The most recently used main window, if any. */
PdWindow *
pd_application_get_main_window (PdApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PD_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

void
pd_application_report_error (PdApplication *self,
                             const char    *message,
                             const char    *detail)
{
  PdWindow *window = pd_application_get_main_window (self);

  if (window != NULL)
    pd_window_show_error (window, message, detail);
  else
    g_message ("%s: %s", message, detail);
}

GWeakRef *
pd_application_weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

void
pd_application_weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

void
pd_application_select_account (PdApplication *self,
                               const char    *account_id)
{
  PdWindow *window = pd_application_get_main_window (self);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.select-account", "s", account_id);
}

/* --page: opens the page, on an account that offers it if the current one does not. */
void
pd_application_open_start_page (PdApplication *self)
{
  g_autofree char *page = g_steal_pointer (&self->start_page);
  PdWindow *window = pd_application_get_main_window (self);
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
        pd_application_select_account (self, pd_account_get_id (account));
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page);
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
      pd_application_explore_sandbox (self);
      return;
    }
  pd_application_open_start_page (self);
}

static void
set_ready (PdApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");

  if (self->ready)
    return;
  self->ready = TRUE;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), pd_application_properties[PROP_READY]);
  carry_out_start_requests (self);
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
    pd_application_report_error (self, _("Your accounts could not be read"), error->message);

  if (pd_application_find_sandbox_account (self, PD_GATEWAY_PESOGATE) != NULL ||
      pd_application_find_sandbox_account (self, PD_GATEWAY_PAYSGATOR) != NULL)
    pd_application_sync_sandbox_accounts (self);
  set_ready (self);
}

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

  pd_application_add_actions (self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  /* Until the accounts are known, exploring could add the sandbox accounts twice. */
  explore = g_action_map_lookup_action (G_ACTION_MAP (self), "explore-sandbox");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (explore), FALSE);

  gtk_window_set_default_icon_name (APP_ID);

  pd_account_store_load_async (self->account_store, self->cancellable,
                               accounts_loaded_cb, g_object_ref (self));
  pd_ledger_new_async (self->ledger_path, self->cancellable, pd_application_ledger_opened_cb, pd_application_weak_ref_new (self));
}

static void
pd_application_shutdown (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->sandbox != NULL)
    pd_sandbox_disconnect (self->sandbox);

  /* Nobody waits for a session any more: their views are gone. */
  pd_application_return_cancelled (self->waiting_for_ledger);
  for (guint i = 0; i < self->opening->len; i++)
    pd_application_return_cancelled (((PendingOpen *) g_ptr_array_index (self->opening, i))->tasks);
  g_ptr_array_set_size (self->opening, 0);
  g_hash_table_remove_all (self->sessions);

  G_APPLICATION_CLASS (pd_application_parent_class)->shutdown (application);
}

static void
pd_application_activate (GApplication *application)
{
  PdApplication *self = PD_APPLICATION (application);
  PdWindow *window = pd_application_get_main_window (self);

  if (window == NULL)
    window = pd_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  pd_application_show_ledger_error (self);
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
                                                       "items-changed", G_CALLBACK (pd_application_accounts_changed_cb),
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

  pd_application_properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         PD_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  pd_application_properties[PROP_ACCOUNT_STORE] =
    g_param_spec_object ("account-store", NULL, NULL,
                         PD_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  pd_application_properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL,
                         PD_TYPE_SANDBOX,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  pd_application_properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* NULL until the ledger is open, and for good when it could not be opened. */
  pd_application_properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         PD_TYPE_LEDGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* NULL for pd_ledger_get_default_path(). */
  pd_application_properties[PROP_LEDGER_PATH] =
    g_param_spec_string ("ledger-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, pd_application_properties);

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
  self->opening = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_application_pending_open_unref);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pd_application_session_entry_free);
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
