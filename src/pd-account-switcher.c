/* pd-account-switcher.c: the header's menu of accounts
 *
 * A menu button naming the selected account (with the SANDBOX pill when it
 * is one) that opens the list of every account. Choosing a row activates
 * win.select-account with the account's id: the window decides, and tells
 * the switcher back through pd_account_switcher_set_account().
 */
#define G_LOG_DOMAIN "pd-account-switcher"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "pd-account-switcher.h"
#include "pd-sandbox-badge.h"

struct _PdAccountSwitcher
{
  GtkWidget       parent_instance;

  GtkMenuButton  *button;
  GtkLabel       *name_label;
  GtkLabel       *gateway_label;
  PdSandboxBadge *badge;
  GtkPopover     *popover;
  GtkListBox     *list;

  GListModel     *accounts;
  PdAccount      *account;
  GBinding       *name_binding;
  GBinding       *badge_binding;
  gulong          items_changed_id;

  /* Set while the list follows the selected account, so that does not count as a choice. */
  gboolean        syncing;
};

G_DEFINE_FINAL_TYPE (PdAccountSwitcher, pd_account_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNTS,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "PesoGate", or "PaysGator · TEST": a PaysGator key is LIVE or TEST. */
static char *
describe_gateway (PdAccount *account)
{
  PdGateway gateway = pd_account_get_gateway (account);

  if (gateway == PD_GATEWAY_PAYSGATOR)
    /* Translators: an account's gateway and its mode, e.g. "PaysGator · TEST" */
    return g_strdup_printf (_("%s · %s"), pd_gateway_get_label (gateway),
                            pd_mode_get_label (pd_account_get_mode (account)));
  return g_strdup (pd_gateway_get_label (gateway));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PdAccount *account = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = pd_sandbox_badge_new (TRUE);
  g_autofree char *subtitle = describe_gateway (account);

  /* Account names are the merchant's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_bind_property (account, "display-name", row, "title", G_BINDING_SYNC_CREATE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_bind_property (account, "sandbox", badge, "visible", G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.select-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", pd_account_get_id (account));
  return row;
}

/* Highlights the selected account's row; rows are rebuilt when the list changes. */
static void
select_current_row (PdAccountSwitcher *self)
{
  guint n = self->accounts ? g_list_model_get_n_items (self->accounts) : 0;

  self->syncing = TRUE;
  gtk_list_box_unselect_all (self->list);
  for (guint i = 0; i < n && self->account != NULL; i++)
    {
      g_autoptr(PdAccount) account = g_list_model_get_item (self->accounts, i);

      if (g_strcmp0 (pd_account_get_id (account), pd_account_get_id (self->account)) == 0)
        {
          gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, i));
          break;
        }
    }
  self->syncing = FALSE;
}

static void
items_changed_cb (PdAccountSwitcher *self)
{
  select_current_row (self);
}

static void
row_activated_cb (PdAccountSwitcher *self)
{
  gtk_popover_popdown (self->popover);
}

/* Selecting a row (as assistive technologies do) chooses it like a click.
 * The list also selects the current row again when it takes the focus. */
static void
row_selected_cb (PdAccountSwitcher *self,
                 GtkListBoxRow     *row)
{
  GVariant *account_id;

  if (row == NULL || self->syncing)
    return;
  account_id = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row));
  if (self->account != NULL &&
      g_strcmp0 (g_variant_get_string (account_id, NULL), pd_account_get_id (self->account)) == 0)
    return;
  gtk_widget_activate_action_variant (GTK_WIDGET (self), "win.select-account", account_id);
  gtk_popover_popdown (self->popover);
}

static void
pd_account_switcher_dispose (GObject *object)
{
  PdAccountSwitcher *self = PD_ACCOUNT_SWITCHER (object);

  pd_account_switcher_set_account (self, NULL);
  pd_account_switcher_set_accounts (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ACCOUNT_SWITCHER);

  G_OBJECT_CLASS (pd_account_switcher_parent_class)->dispose (object);
}

static void
pd_account_switcher_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PdAccountSwitcher *self = PD_ACCOUNT_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_switcher_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PdAccountSwitcher *self = PD_ACCOUNT_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      pd_account_switcher_set_accounts (self, g_value_get_object (value));
      break;
    case PROP_ACCOUNT:
      pd_account_switcher_set_account (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_switcher_class_init (PdAccountSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_account_switcher_dispose;
  object_class->get_property = pd_account_switcher_get_property;
  object_class->set_property = pd_account_switcher_set_property;

  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         PD_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_SANDBOX_BADGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-account-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, button);
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, name_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, gateway_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, badge);
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, popover);
  gtk_widget_class_bind_template_child (widget_class, PdAccountSwitcher, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_account_switcher_init (PdAccountSwitcher *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_account_switcher_new (void)
{
  return g_object_new (PD_TYPE_ACCOUNT_SWITCHER, NULL);
}

/**
 * pd_account_switcher_get_accounts:
 * @self: a switcher
 *
 * Returns: (transfer none) (nullable): the accounts listed in the menu
 */
GListModel *
pd_account_switcher_get_accounts (PdAccountSwitcher *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SWITCHER (self), NULL);

  return self->accounts;
}

/**
 * pd_account_switcher_set_accounts:
 * @self: a switcher
 * @accounts: (nullable): a list of #PdAccount
 */
void
pd_account_switcher_set_accounts (PdAccountSwitcher *self,
                                  GListModel        *accounts)
{
  g_return_if_fail (PD_IS_ACCOUNT_SWITCHER (self));
  g_return_if_fail (accounts == NULL || G_IS_LIST_MODEL (accounts));

  if (self->accounts == accounts)
    return;

  if (self->accounts != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->accounts);
  g_set_object (&self->accounts, accounts);

  gtk_list_box_bind_model (self->list, accounts, create_row, NULL, NULL);
  /* Connected after the list box's own handler, so the new rows exist. */
  if (accounts != NULL)
    self->items_changed_id = g_signal_connect_object (accounts, "items-changed",
                                                      G_CALLBACK (items_changed_cb), self,
                                                      G_CONNECT_SWAPPED);
  select_current_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS]);
}

/**
 * pd_account_switcher_get_account:
 * @self: a switcher
 *
 * Returns: (transfer none) (nullable): the account the button names
 */
PdAccount *
pd_account_switcher_get_account (PdAccountSwitcher *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SWITCHER (self), NULL);

  return self->account;
}

/**
 * pd_account_switcher_set_account:
 * @self: a switcher
 * @account: (nullable): the selected account
 */
void
pd_account_switcher_set_account (PdAccountSwitcher *self,
                                 PdAccount         *account)
{
  g_return_if_fail (PD_IS_ACCOUNT_SWITCHER (self));
  g_return_if_fail (account == NULL || PD_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  g_clear_pointer (&self->name_binding, g_binding_unbind);
  g_clear_pointer (&self->badge_binding, g_binding_unbind);
  g_set_object (&self->account, account);

  if (account != NULL)
    {
      g_autofree char *gateway = describe_gateway (account);

      gtk_label_set_label (self->gateway_label, gateway);
      self->name_binding = g_object_bind_property (account, "display-name",
                                                   self->name_label, "label",
                                                   G_BINDING_SYNC_CREATE);
      self->badge_binding = g_object_bind_property (account, "sandbox",
                                                    self->badge, "visible",
                                                    G_BINDING_SYNC_CREATE);
    }
  else
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->gateway_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->badge), FALSE);
    }

  select_current_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}
