/* pd-preferences-window.c: Preferences: the saved accounts
 *
 * Lists the account store's accounts with their gateway and a SANDBOX,
 * LIVE or TEST tag. "Add Account" and each row's Edit button open the
 * account form (PdAccountEditor) as a subpage; Remove asks first, then
 * deletes the account and its keys through the store. A newly added
 * account is selected in the main window.
 */
#define G_LOG_DOMAIN "pd-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-editor.h"
#include "pd-preferences-window.h"
#include "pd-sandbox-badge.h"
#include "pd-window.h"

struct _PdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkListBox           *accounts_list;
  GtkWidget            *empty_label;

  PdAccountStore       *account_store;
};

G_DEFINE_FINAL_TYPE (PdPreferencesWindow, pd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
new_row_button (const char *icon_name,
                const char *tooltip,
                const char *accessible_label,
                const char *action_name,
                const char *account_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", account_id);
  return button;
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  PdAccount *account = item;
  PdGateway gateway = pd_account_get_gateway (account);
  const char *id = pd_account_get_id (account);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge = pd_sandbox_badge_new (TRUE);
  GtkWidget *edit;
  GtkWidget *remove;
  g_autofree char *edit_label = NULL;
  g_autofree char *remove_label = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_bind_property (account, "display-name", row, "title", G_BINDING_SYNC_CREATE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), pd_gateway_get_label (gateway));

  g_object_bind_property (account, "sandbox", badge, "visible", G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);

  /* PaysGator keys are LIVE or TEST; a LIVE one takes real money. */
  if (gateway == PD_GATEWAY_PAYSGATOR)
    {
      PdMode mode = pd_account_get_mode (account);
      GtkWidget *tag = gtk_label_new (pd_mode_get_label (mode));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "caption-heading");
      gtk_widget_add_css_class (tag, mode == PD_MODE_LIVE ? "warning" : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  /* Translators: the accessible name of a button; %s is the account's name */
  edit_label = g_strdup_printf (_("Edit “%s”"), pd_account_get_display_name (account));
  edit = new_row_button ("document-edit-symbolic", _("Edit Account"), edit_label, "account.edit", id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  /* Activating the row (a click, Enter) edits the account. */
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);

  /* Translators: the accessible name of a button; %s is the account's name */
  remove_label = g_strdup_printf (_("Remove “%s”"), pd_account_get_display_name (account));
  remove = new_row_button ("user-trash-symbolic", _("Remove Account"), remove_label, "account.remove", id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static void
show_failure (PdPreferencesWindow *self,
              const char          *heading,
              const char          *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Not cancelled with the window: a removal the user confirmed goes through
 * even if Preferences is closed at once. */
static void
account_removed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  removed = pd_account_store_remove_finish (PD_ACCOUNT_STORE (source), result, &error);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (!removed)
        g_message ("Removing an account failed: %s", error->message);
      return;
    }

  if (!removed)
    show_failure (self, _("The account could not be removed"), error->message);
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (_("Account removed")));
}

static void
confirm_remove_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  const char *account_id = user_data;
  PdAccount *account = pd_account_store_find (self->account_store, account_id);

  if (account == NULL)
    return;
  pd_account_store_remove_async (self->account_store, account, NULL,
                                 account_removed_cb, g_object_ref (self));
}

static void
editor_saved_cb (PdPreferencesWindow *self,
                 PdAccount           *account,
                 gboolean             added,
                 PdAccountEditor     *editor)
{
  GtkWindow *main_window = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *name = pd_account_get_display_name (account);
  g_autofree char *message = NULL;

  if (gtk_widget_get_root (GTK_WIDGET (editor)) == GTK_ROOT (self))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));

  if (added)
    /* Translators: %s is the account's name */
    message = g_strdup_printf (_("“%s” added"), name);
  else
    /* Translators: %s is the account's name */
    message = g_strdup_printf (_("“%s” saved"), name);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));

  /* Whoever adds an account wants to use it next. */
  if (added && PD_IS_WINDOW (main_window))
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.select-account", "s", pd_account_get_id (account));
}

static void
open_editor (PdPreferencesWindow *self,
             PdAccount           *account)
{
  GtkWidget *editor = pd_account_editor_new (self->account_store, account);

  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
  gtk_widget_grab_focus (editor);
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_editor (PD_PREFERENCES_WINDOW (widget), NULL);
}

static void
edit_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (widget);
  PdAccount *account = pd_account_store_find (self->account_store, g_variant_get_string (parameter, NULL));

  if (account != NULL)
    open_editor (self, account);
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (widget);
  const char *account_id = g_variant_get_string (parameter, NULL);
  PdAccount *account = pd_account_store_find (self->account_store, account_id);
  GtkWidget *dialog;

  if (account == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("Paydesk will forget this account and delete its API keys from your keyring. "
                                     "Payments already made stay with the gateway, and you can add the account "
                                     "again with its keys."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     /* Translators: %s is the account's name */
                                     _("Remove “%s”?"),
                                     pd_account_get_display_name (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response::remove", G_CALLBACK (confirm_remove_cb),
                         g_strdup (account_id), (GClosureNotify) G_CALLBACK (g_free), 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pd_preferences_window_constructed (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (pd_preferences_window_parent_class)->constructed (object);

  gtk_list_box_bind_model (self->accounts_list,
                           pd_account_store_get_accounts (self->account_store),
                           create_account_row, NULL, NULL);
}

static void
pd_preferences_window_dispose (GObject *object)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->account_store);

  G_OBJECT_CLASS (pd_preferences_window_parent_class)->dispose (object);
}

static void
pd_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      g_value_set_object (value, self->account_store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PdPreferencesWindow *self = PD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      self->account_store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_preferences_window_class_init (PdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pd_preferences_window_constructed;
  object_class->dispose = pd_preferences_window_dispose;
  object_class->get_property = pd_preferences_window_get_property;
  object_class->set_property = pd_preferences_window_set_property;

  properties[PROP_ACCOUNT_STORE] =
    g_param_spec_object ("account-store", NULL, NULL,
                         PD_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, PdPreferencesWindow, empty_label);
  /* Reachable by name for tests, with gtk_widget_get_template_child(). */
  gtk_widget_class_bind_template_child_full (widget_class, "add_button", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "account.add", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "account.edit", "s", edit_account_action);
  /* Asks first: removing deletes the keys from the keyring. */
  gtk_widget_class_install_action (widget_class, "account.remove", "s", remove_account_action);
}

static void
pd_preferences_window_init (PdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->accounts_list, self->empty_label);
}

PdPreferencesWindow *
pd_preferences_window_new (PdAccountStore *account_store)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (account_store), NULL);

  return g_object_new (PD_TYPE_PREFERENCES_WINDOW, "account-store", account_store, NULL);
}
