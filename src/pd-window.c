/* pd-window.c: the main window: accounts, their pages, toasts
 *
 * Three states in one stack: "loading" until the application is ready,
 * "welcome" while no account exists, and "accounts": a leaflet with the
 * pages the selected account's gateway offers in the sidebar and the page
 * itself beside it (folded to one at a time on a narrow window).
 *
 * The selected account is kept by id: the store replaces an account's
 * object when it is saved, so the object is looked up again whenever the
 * list changes.
 *
 * The pages that talk to the gateway or the ledger get the selected
 * account's session from the application; they get NULL while it opens,
 * and when it cannot be opened (the window then says why).
 */
#define G_LOG_DOMAIN "pd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-switcher.h"
#include "pd-links-page.h"
#include "pd-sandbox-badge.h"
#include "pd-subscriptions-page.h"
#include "pd-terminal-page.h"
#include "pd-transactions-page.h"
#include "pd-wallet-page.h"
#include "pd-welcome-page.h"
#include "pd-window.h"

typedef struct
{
  const char *name;
  gboolean    on_pesogate;
  gboolean    on_paysgator;
} PageInfo;

/* In sidebar order. */
static const PageInfo pages[] = {
  { PD_PAGE_TRANSACTIONS, TRUE, TRUE },
  { PD_PAGE_NEW_PAYMENT, TRUE, FALSE },
  { PD_PAGE_PAYMENT_LINKS, FALSE, TRUE },
  { PD_PAGE_SUBSCRIPTIONS, FALSE, TRUE },
  { PD_PAGE_WALLET, FALSE, TRUE },
};

#define N_PAGES G_N_ELEMENTS (pages)

struct _PdWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkSpinner           *loading_spinner;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  PdAccountSwitcher    *account_switcher;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *transactions_row;
  GtkListBoxRow        *new_payment_row;
  GtkListBoxRow        *payment_links_row;
  GtkListBoxRow        *subscriptions_row;
  GtkListBoxRow        *wallet_row;
  AdwWindowTitle       *content_title;
  GtkWidget            *sandbox_bar;
  AdwViewStack         *page_stack;
  PdTransactionsPage   *transactions_page;
  PdTerminalPage       *terminal_page;

  GtkListBoxRow        *rows[N_PAGES];

  PdApplication        *application;
  PdSettings           *settings;
  PdAccountStore       *account_store;
  PdAccount            *account;
  gulong                account_notify_id;
  gulong                items_changed_id;
  gulong                ready_id;
  PdAccountSession     *session;
  GCancellable         *session_cancellable;

  /* Set while the sidebar follows the page, so that does not count as a click. */
  gboolean              syncing_sidebar;
};

G_DEFINE_FINAL_TYPE (PdWindow, pd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_VISIBLE_PAGE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const PageInfo *
find_page (const char *name)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
      return &pages[i];
  return NULL;
}

/**
 * pd_window_gateway_offers_page:
 * @gateway: a gateway
 * @page: a page name, such as %PD_PAGE_WALLET
 *
 * PesoGate offers Transactions and New Payment; PaysGator offers
 * Transactions, Payment Links, Subscriptions and Wallet.
 */
gboolean
pd_window_gateway_offers_page (PdGateway   gateway,
                               const char *page)
{
  const PageInfo *info = find_page (page);

  if (info == NULL)
    return FALSE;
  return gateway == PD_GATEWAY_PESOGATE ? info->on_pesogate : info->on_paysgator;
}

static void
update_content_title (PdWindow *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->page_stack);
  AdwViewStackPage *page = child ? adw_view_stack_get_page (self->page_stack, child) : NULL;

  adw_window_title_set_title (self->content_title, page ? adw_view_stack_page_get_title (page) : "");
  adw_window_title_set_subtitle (self->content_title,
                                 self->account ? pd_account_get_display_name (self->account) : "");
}

static void
sync_sidebar_selection (PdWindow *self)
{
  const char *visible = adw_view_stack_get_visible_child_name (self->page_stack);

  self->syncing_sidebar = TRUE;
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (pages[i].name, visible) == 0)
      gtk_list_box_select_row (self->sidebar_list, self->rows[i]);
  self->syncing_sidebar = FALSE;
}

/* The sidebar lists the pages the account's gateway offers. Rows of pages
 * not offered are taken out, not hidden: assistive technologies count only
 * the rows they see when they select one. */
static void
update_sidebar (PdWindow *self)
{
  self->syncing_sidebar = TRUE;
  for (guint i = 0; i < N_PAGES; i++)
    if (gtk_widget_get_parent (GTK_WIDGET (self->rows[i])) != NULL)
      gtk_list_box_remove (self->sidebar_list, GTK_WIDGET (self->rows[i]));
  for (guint i = 0; i < N_PAGES; i++)
    if (pd_window_page_is_offered (self, pages[i].name))
      gtk_list_box_append (self->sidebar_list, GTK_WIDGET (self->rows[i]));
  self->syncing_sidebar = FALSE;

  /* Keep the page if this account offers it too. */
  if (self->account != NULL &&
      !pd_window_page_is_offered (self, adw_view_stack_get_visible_child_name (self->page_stack)))
    adw_view_stack_set_visible_child_name (self->page_stack, PD_PAGE_TRANSACTIONS);
  sync_sidebar_selection (self);
}

/* The rest of what shows which account is selected. */
static void
update_account_views (PdWindow *self)
{
  gboolean sandbox = self->account != NULL && pd_account_get_sandbox (self->account);

  gtk_widget_set_visible (self->sandbox_bar, sandbox);
  update_content_title (self);
}

static void
set_session (PdWindow         *self,
             PdAccountSession *session)
{
  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  pd_transactions_page_set_session (self->transactions_page, session);
  pd_terminal_page_set_session (self->terminal_page, session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PdWindow *self = user_data;
  g_autoptr(PdAccountSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = pd_application_open_session_finish (PD_APPLICATION (source), result, &error);
  /* Cancelled: the window may be gone, or it asked again for another account. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->session_cancellable);
  if (session == NULL)
    {
      pd_window_show_error (self, _("This account cannot be used right now"), error->message);
      return;
    }
  set_session (self, session);
}

/* The pages get the selected account's session; none while it opens. */
static void
open_session (PdWindow *self)
{
  g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->session_cancellable);
  set_session (self, NULL);

  if (self->account == NULL || self->application == NULL)
    return;
  self->session_cancellable = g_cancellable_new ();
  pd_application_open_session_async (self->application, self->account, self->session_cancellable,
                                     session_opened_cb, self);
}

/* What the account's session is built from: a change needs a new one. */
static gboolean
changes_session (GParamSpec *pspec)
{
  static const char * const names[] = { "gateway", "mode", "rate-limit", "base-url", NULL };

  return g_strv_contains (names, pspec->name);
}

static void
account_notify_cb (PdWindow   *self,
                   GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "gateway"))
    update_sidebar (self);
  update_account_views (self);
  if (changes_session (pspec))
    open_session (self);
}

static void
set_account (PdWindow  *self,
             PdAccount *account)
{
  if (self->account == account)
    return;

  if (self->account != NULL)
    g_clear_signal_handler (&self->account_notify_id, self->account);
  g_set_object (&self->account, account);

  if (account != NULL)
    {
      self->account_notify_id = g_signal_connect_object (account, "notify",
                                                         G_CALLBACK (account_notify_cb), self,
                                                         G_CONNECT_SWAPPED);
      pd_settings_set_last_account (self->settings, pd_account_get_id (account));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page", account != NULL);
  pd_account_switcher_set_account (self->account_switcher, account);
  update_sidebar (self);
  update_account_views (self);
  open_session (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/* The account to show: the one shown before if it still exists, else the
 * one used last time, else the first. */
static PdAccount *
choose_account (PdWindow *self)
{
  GListModel *accounts = pd_account_store_get_accounts (self->account_store);
  g_autoptr(PdAccount) first = g_list_model_get_item (accounts, 0);
  PdAccount *account = NULL;

  if (self->account != NULL)
    account = pd_account_store_find (self->account_store, pd_account_get_id (self->account));
  if (account == NULL)
    {
      const char *last = pd_settings_get_last_account (self->settings);

      if (last != NULL && *last != '\0')
        account = pd_account_store_find (self->account_store, last);
    }
  if (account == NULL)
    account = first;
  return account;
}

static void
update_view (PdWindow *self)
{
  gboolean ready = self->application != NULL && pd_application_get_ready (self->application);
  const char *view;

  if (!ready)
    {
      view = "loading";
      set_account (self, NULL);
    }
  else
    {
      set_account (self, choose_account (self));
      view = self->account != NULL ? "accounts" : "welcome";
    }

  gtk_spinner_set_spinning (self->loading_spinner, !ready);
  gtk_stack_set_visible_child_name (self->main_stack, view);
}

static void
restore_window_state (PdWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               pd_settings_get_window_width (self->settings),
                               pd_settings_get_window_height (self->settings));
  if (pd_settings_get_window_maximized (self->settings))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* The window gets its application after construction, as a plain property. */
static void
application_changed_cb (PdWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GListModel *accounts;

  if (application == NULL || self->application != NULL)
    return;
  g_return_if_fail (PD_IS_APPLICATION (application));

  self->application = g_object_ref (PD_APPLICATION (application));
  self->settings = g_object_ref (pd_application_get_settings (self->application));
  self->account_store = g_object_ref (pd_application_get_account_store (self->application));
  accounts = pd_account_store_get_accounts (self->account_store);

  self->ready_id = g_signal_connect_object (self->application, "notify::ready",
                                            G_CALLBACK (update_view), self,
                                            G_CONNECT_SWAPPED);
  self->items_changed_id = g_signal_connect_object (accounts, "items-changed",
                                                    G_CALLBACK (update_view), self,
                                                    G_CONNECT_SWAPPED);
  pd_account_switcher_set_accounts (self->account_switcher, accounts);

  restore_window_state (self);
  update_view (self);
}

static void
page_changed_cb (PdWindow *self)
{
  update_content_title (self);
  sync_sidebar_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static void
open_row (PdWindow      *self,
          GtkListBoxRow *row)
{
  if (row == NULL || self->syncing_sidebar)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s",
                              gtk_widget_get_name (GTK_WIDGET (row)));
}

/* Selecting a row (as assistive technologies do) opens its page. The list
 * also selects the current row again when it takes the focus: that must not
 * leave the sidebar of a folded window. */
static void
sidebar_row_selected_cb (PdWindow      *self,
                         GtkListBoxRow *row)
{
  if (row == NULL ||
      g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), pd_window_get_visible_page (self)) == 0)
    return;
  open_row (self, row);
}

/* Also on the row already selected: on a folded window it goes to the page again. */
static void
sidebar_row_activated_cb (PdWindow      *self,
                          GtkListBoxRow *row)
{
  open_row (self, row);
}

static void
select_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);
  PdAccount *account;

  if (self->account_store == NULL)
    return;
  account = pd_account_store_find (self->account_store, g_variant_get_string (parameter, NULL));
  if (account == NULL)
    {
      g_debug ("No account %s to select", g_variant_get_string (parameter, NULL));
      return;
    }
  set_account (self, account);
}

static void
navigate_back_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PdWindow *self = PD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
copy_details_cb (AdwMessageDialog *dialog)
{
  GtkWidget *label = adw_message_dialog_get_extra_child (dialog);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)),
                          gtk_label_get_text (GTK_LABEL (label)));
}

static void
show_error_details_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  const char *message;
  const char *detail;
  GtkWidget *dialog;
  GtkWidget *label;

  g_variant_get (parameter, "(&s&s)", &message, &detail);

  dialog = adw_message_dialog_new (GTK_WINDOW (widget), message,
                                   _("These details can help whoever looks after your computer or your gateway account find the cause."));
  label = gtk_label_new (detail);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), label);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "copy", _("C_opy Details"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response::copy", G_CALLBACK (copy_details_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
pd_window_close_request (GtkWindow *window)
{
  PdWindow *self = PD_WINDOW (window);
  int width;
  int height;

  if (self->settings != NULL)
    {
      /* The default size is the unmaximized size, which is what to restore. */
      gtk_window_get_default_size (window, &width, &height);
      pd_settings_set_window_width (self->settings, width);
      pd_settings_set_window_height (self->settings, height);
      pd_settings_set_window_maximized (self->settings, gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (pd_window_parent_class)->close_request (window);
}

static void
pd_window_dispose (GObject *object)
{
  PdWindow *self = PD_WINDOW (object);

  if (self->account != NULL)
    g_clear_signal_handler (&self->account_notify_id, self->account);
  if (self->account_store != NULL)
    g_clear_signal_handler (&self->items_changed_id, pd_account_store_get_accounts (self->account_store));
  if (self->application != NULL)
    g_clear_signal_handler (&self->ready_id, self->application);
  g_clear_object (&self->account);
  g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->session_cancellable);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_WINDOW);
  for (guint i = 0; i < N_PAGES; i++)
    g_clear_object (&self->rows[i]);

  g_clear_object (&self->account_store);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (pd_window_parent_class)->dispose (object);
}

static void
pd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PdWindow *self = PD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, pd_window_get_visible_page (self));
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PdWindow *self = PD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_PAGE:
      pd_window_set_visible_page (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_window_class_init (PdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pd_window_dispose;
  object_class->get_property = pd_window_get_property;
  object_class->set_property = pd_window_set_property;

  window_class->close_request = pd_window_close_request;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         PD_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL,
                         PD_PAGE_TRANSACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The selected account's open session; NULL while it opens or when it cannot. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         PD_TYPE_ACCOUNT_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_ACCOUNT_SWITCHER);
  g_type_ensure (PD_TYPE_LINKS_PAGE);
  g_type_ensure (PD_TYPE_SANDBOX_BADGE);
  g_type_ensure (PD_TYPE_SUBSCRIPTIONS_PAGE);
  g_type_ensure (PD_TYPE_TERMINAL_PAGE);
  g_type_ensure (PD_TYPE_TRANSACTIONS_PAGE);
  g_type_ensure (PD_TYPE_WALLET_PAGE);
  g_type_ensure (PD_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, account_switcher);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, transactions_row);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, new_payment_row);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, payment_links_row);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, subscriptions_row);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, wallet_row);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, sandbox_bar);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, transactions_page);
  gtk_widget_class_bind_template_child (widget_class, PdWindow, terminal_page);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  /* A page the account's gateway does not offer is refused by the property. */
  gtk_widget_class_install_property_action (widget_class, "win.show-page", "visible-page");
  gtk_widget_class_install_action (widget_class, "win.select-account", "s", select_account_action);
  gtk_widget_class_install_action (widget_class, "win.navigate-back", NULL, navigate_back_action);
  gtk_widget_class_install_action (widget_class, "win.show-error-details", "(ss)", show_error_details_action);

  for (guint i = 0; i < N_PAGES; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.show-page", "s", pages[i].name);
  /* The leaflet's own Alt+Left needs the focus inside it; from the window it always works. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.navigate-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.navigate-back", NULL);
}

static void
pd_window_init (PdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Kept while out of the list. */
  self->rows[0] = g_object_ref (self->transactions_row);
  self->rows[1] = g_object_ref (self->new_payment_row);
  self->rows[2] = g_object_ref (self->payment_links_row);
  self->rows[3] = g_object_ref (self->subscriptions_row);
  self->rows[4] = g_object_ref (self->wallet_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-page", FALSE);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);

  update_content_title (self);
}

PdWindow *
pd_window_new (PdApplication *application)
{
  g_return_val_if_fail (PD_IS_APPLICATION (application), NULL);

  return g_object_new (PD_TYPE_WINDOW, "application", application, NULL);
}

/**
 * pd_window_get_account:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the selected account
 */
PdAccount *
pd_window_get_account (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return self->account;
}

/**
 * pd_window_get_session:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the selected account's open session
 */
PdAccountSession *
pd_window_get_session (PdWindow *self)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  return self->session;
}

/**
 * pd_window_get_visible_page:
 * @self: a window
 *
 * Returns: the page shown for the selected account, such as %PD_PAGE_WALLET
 */
const char *
pd_window_get_visible_page (PdWindow *self)
{
  const char *name;

  g_return_val_if_fail (PD_IS_WINDOW (self), NULL);

  name = adw_view_stack_get_visible_child_name (self->page_stack);
  return name ? name : PD_PAGE_TRANSACTIONS;
}

/**
 * pd_window_set_visible_page:
 * @self: a window
 * @page: a page name, such as %PD_PAGE_WALLET
 *
 * Shows the page, and on a folded window goes to it from the sidebar. A page
 * the selected account's gateway does not offer is refused with the error bell.
 */
void
pd_window_set_visible_page (PdWindow   *self,
                            const char *page)
{
  g_return_if_fail (PD_IS_WINDOW (self));

  if (!pd_window_page_is_offered (self, page))
    {
      g_debug ("Page %s is not offered for this account", page);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  adw_view_stack_set_visible_child_name (self->page_stack, page);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/**
 * pd_window_page_is_offered:
 * @self: a window
 * @page: a page name
 *
 * Returns: whether an account is selected and its gateway offers @page
 */
gboolean
pd_window_page_is_offered (PdWindow   *self,
                           const char *page)
{
  g_return_val_if_fail (PD_IS_WINDOW (self), FALSE);

  return self->account != NULL &&
         pd_window_gateway_offers_page (pd_account_get_gateway (self->account), page);
}

/**
 * pd_window_show_toast:
 * @self: a window
 * @message: a short, translated sentence
 */
void
pd_window_show_toast (PdWindow   *self,
                      const char *message)
{
  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/**
 * pd_window_show_error:
 * @self: a window
 * @message: what went wrong, in words a shopkeeper understands (translated)
 * @detail: (nullable): the technical detail, shown on request
 *
 * Shows @message in a toast that stays until dismissed; with @detail, its
 * "Details" button opens a dialog holding @detail.
 */
void
pd_window_show_error (PdWindow   *self,
                      const char *message,
                      const char *detail)
{
  AdwToast *toast;

  g_return_if_fail (PD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  if (detail != NULL && *detail != '\0')
    {
      adw_toast_set_button_label (toast, _("_Details"));
      adw_toast_set_action_name (toast, "win.show-error-details");
      adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", message, detail));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
