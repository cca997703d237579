/* pd-account-editor.c: the form that adds or edits an account, with Test Connection
 *
 * A subpage of Preferences. Every field is checked with the core's own rules
 * as it is typed; a field's problem shows under it once the field was
 * changed, or for every field after an attempt to save. Test Connection
 * builds a throwaway gateway client from the form and saves nothing; Save
 * hands the account to the store, which puts the keys in the keyring only
 * and leaves nothing half-saved. When editing, an empty key field keeps
 * the key stored in the keyring. Typed keys are cleared from the entries
 * once saved and when the page closes.
 */
#define G_LOG_DOMAIN "pd-account-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-editor-private.h"
#include "pd-error.h"

G_DEFINE_FINAL_TYPE (PdAccountEditor, pd_account_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ACCOUNT_STORE,
  PROP_ACCOUNT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
pd_account_editor_set_busy (PdAccountEditor *self,
                            gboolean         testing,
                            PdAccount       *saving)
{
  gboolean was_busy = pd_account_editor_is_busy (self);

  self->testing = testing;
  g_set_object (&self->saving, saving);
  pd_account_editor_update_actions (self);
  if (was_busy != pd_account_editor_is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Typed keys leave the entries: what the store needs it has copied. */
static void
clear_secrets (PdAccountEditor *self)
{
  if (self->api_key_row == NULL)
    return;
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_secret_row), "");
  self->filling = FALSE;
  self->touched &= ~((1u << FIELD_API_KEY) | (1u << FIELD_API_SECRET));
}

static GtkWindow *
get_window (PdAccountEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Signal handlers from the template -------------------------------------------------- */

static Field
field_of (PdAccountEditor *self,
          GtkWidget       *input)
{
  for (Field field = 0; field < N_FIELDS; field++)
    if (pd_account_editor_field_input (self, field) == input)
      return field;
  g_return_val_if_reached (FIELD_NAME);
}

static void
field_changed_cb (PdAccountEditor *self,
                  GtkEditable     *editable)
{
  Field field;

  if (self->filling)
    return;

  field = field_of (self, GTK_WIDGET (editable));
  self->touched |= 1u << field;
  if (field == FIELD_BASE_URL || field == FIELD_API_KEY || field == FIELD_API_SECRET)
    pd_account_editor_connection_details_changed (self);
  pd_account_editor_update_state (self);
}

static void
providers_toggled_cb (PdAccountEditor *self)
{
  if (self->filling)
    return;
  self->touched |= 1u << FIELD_PROVIDERS;
  pd_account_editor_update_state (self);
}

/* A base URL the user never changed follows the gateway. */
static void
gateway_changed_cb (PdAccountEditor *self)
{
  PdGateway gateway = pd_account_editor_get_gateway (self);
  PdGateway other = gateway == PD_GATEWAY_PESOGATE ? PD_GATEWAY_PAYSGATOR : PD_GATEWAY_PESOGATE;
  g_autofree char *base_url = NULL;

  if (self->filling)
    return;

  base_url = pd_account_editor_dup_stripped (self->base_url_row);
  if (*base_url == '\0' || g_str_equal (base_url, pd_account_default_base_url (other)))
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), pd_account_default_base_url (gateway));
      self->filling = FALSE;
    }
  pd_account_editor_connection_details_changed (self);
  pd_account_editor_update_state (self);
}

/* Enter anywhere in the form saves, once it is complete; until then it
 * shows what is missing. */
static void
entry_activated_cb (PdAccountEditor *self)
{
  if (pd_account_editor_is_busy (self))
    return;
  if (!self->valid)
    {
      self->show_all_problems = TRUE;
      pd_account_editor_update_state (self);
      pd_account_editor_focus_first_problem (self);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void show_editing (PdAccountEditor *self);

/* Save ------------------------------------------------------------------------------ */

static const char *
save_failure_heading (const GError *error)
{
  if (g_error_matches (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_UNAVAILABLE))
    return _("No keyring service is running");
  if (g_error_matches (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_LOCKED))
    return _("Your keyring is locked");
  if (g_error_matches (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_KEYRING_REFUSED))
    return _("The keyring refused the keys");
  return _("The account could not be saved");
}

/* The store leaves nothing half-saved, and the form keeps what was typed. */
void
pd_account_editor_save_failed (PdAccountEditor *self,
                               const GError    *error)
{
  GtkWindow *window = get_window (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  pd_account_editor_set_busy (self, self->testing, NULL);
  pd_account_editor_update_state (self);

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_message ("Saving an account failed: %s", error->message);
      return;
    }

  /* Translators: %s says what went wrong and what to do */
  body = g_strdup_printf (_("%s\n\nNothing was saved. What you typed is still in the form."), error->message);
  dialog = adw_message_dialog_new (window, save_failure_heading (error), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  PdAccountEditor *self;
  gboolean         adding;
} SaveData;

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(PdAccountEditor) self = data->self;
  gboolean adding = data->adding;
  g_autoptr(PdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  g_free (data);
  if (adding)
    saved = pd_account_store_add_finish (PD_ACCOUNT_STORE (source), result, &error);
  else
    saved = pd_account_store_update_finish (PD_ACCOUNT_STORE (source), result, &error);

  if (!saved)
    {
      pd_account_editor_save_failed (self, error);
      return;
    }

  account = g_object_ref (self->saving);
  pd_account_editor_set_busy (self, self->testing, NULL);
  /* Later changes edit the saved account. */
  if (g_set_object (&self->account, account))
    {
      show_editing (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  clear_secrets (self);
  pd_account_editor_update_state (self);
  g_signal_emit (self, signals[SAVED], 0, account, adding);
}

void
pd_account_editor_run_save (PdAccountEditor  *self,
                            PdAccountSecrets *secrets)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->adding = self->account == NULL;
  if (data->adding)
    pd_account_store_add_async (self->account_store, self->saving, secrets, NULL, saved_cb, data);
  else
    pd_account_store_update_async (self->account_store, self->saving, secrets, NULL, saved_cb, data);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (widget);
  g_autoptr(PdAccount) account = NULL;

  if (pd_account_editor_is_busy (self) || !self->valid)
    return;

  account = pd_account_editor_build_account (self);
  pd_account_editor_set_busy (self, FALSE, account);
  pd_account_editor_with_secrets (self, PURPOSE_SAVE);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
}

/* Filling the form -------------------------------------------------------------------- */

static void
label_entry (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

/* Empty key fields keep the stored keys: the placeholder says so. */
static void
mark_unchanged (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  if (GTK_IS_TEXT (text))
    gtk_text_set_placeholder_text (GTK_TEXT (text), _("Unchanged"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Leave empty to keep the saved one"),
                                  -1);
}

/* The form edits the saved self->account from now on. */
static void
show_editing (PdAccountEditor *self)
{
  adw_window_title_set_title (self->window_title, _("Edit Account"));
  adw_window_title_set_subtitle (self->window_title, pd_account_get_display_name (self->account));
  /* The keys belong to the gateway: another one needs another account. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->gateway_row), FALSE);
  adw_preferences_group_set_description (self->keys_group,
                                         _("Kept in your keyring, never in a file. Leave a field empty to keep the saved one."));
  mark_unchanged (self->api_key_row);
  mark_unchanged (self->api_secret_row);
}

static void
fill_form (PdAccountEditor *self)
{
  PdAccount *account = self->account;
  PdGateway gateway = account ? pd_account_get_gateway (account) : PD_GATEWAY_PESOGATE;

  self->filling = TRUE;

  adw_combo_row_set_selected (self->gateway_row, gateway);
  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), pd_account_default_base_url (gateway));
  gtk_check_button_set_active (self->cybersource_check, TRUE);
  gtk_check_button_set_active (self->mpgs_check, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->return_url_row), PD_ACCOUNT_DEFAULT_RETURN_URL);
  gtk_editable_set_text (GTK_EDITABLE (self->cancel_url_row), PD_ACCOUNT_DEFAULT_CANCEL_URL);

  if (account != NULL)
    {
      g_autofree char *currencies = g_strjoinv (", ", (char **) pd_account_get_currencies (account));

      show_editing (self);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), pd_account_get_display_name (account));
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), pd_account_get_base_url (account));
      gtk_editable_set_text (GTK_EDITABLE (self->currencies_row), currencies);
      gtk_check_button_set_active (self->cybersource_check,
                                   pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_CYBERSOURCE));
      gtk_check_button_set_active (self->mpgs_check, pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_MPGS));
      gtk_editable_set_text (GTK_EDITABLE (self->return_url_row), pd_account_get_return_url (account));
      gtk_editable_set_text (GTK_EDITABLE (self->cancel_url_row), pd_account_get_cancel_url (account));
      adw_expander_row_set_expanded (self->advanced_row,
                                     g_strcmp0 (pd_account_get_return_url (account), PD_ACCOUNT_DEFAULT_RETURN_URL) != 0 ||
                                     g_strcmp0 (pd_account_get_cancel_url (account), PD_ACCOUNT_DEFAULT_CANCEL_URL) != 0);
    }

  self->filling = FALSE;
  pd_account_editor_set_test_status (self, STATUS_NONE, _("Not tested yet"));
  pd_account_editor_update_state (self);
}

/* GObject and GtkWidget --------------------------------------------------------------- */

static gboolean
pd_account_editor_grab_focus (GtkWidget *widget)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/* The page is closing: tests stop, typed keys go. */
static void
pd_account_editor_unroot (GtkWidget *widget)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (widget);

  g_cancellable_cancel (self->cancellable);
  clear_secrets (self);

  GTK_WIDGET_CLASS (pd_account_editor_parent_class)->unroot (widget);
}

static void
pd_account_editor_constructed (GObject *object)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (object);

  G_OBJECT_CLASS (pd_account_editor_parent_class)->constructed (object);

  fill_form (self);
}

static void
pd_account_editor_dispose (GObject *object)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  clear_secrets (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_ACCOUNT_EDITOR);
  g_clear_object (&self->account_store);
  g_clear_object (&self->account);
  g_clear_object (&self->saving);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pd_account_editor_parent_class)->dispose (object);
}

static void
pd_account_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      g_value_set_object (value, self->account_store);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, pd_account_editor_is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_STORE:
      self->account_store = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_editor_class_init (PdAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pd_account_editor_constructed;
  object_class->dispose = pd_account_editor_dispose;
  object_class->get_property = pd_account_editor_get_property;
  object_class->set_property = pd_account_editor_set_property;

  widget_class->grab_focus = pd_account_editor_grab_focus;
  widget_class->unroot = pd_account_editor_unroot;

  properties[PROP_ACCOUNT_STORE] =
    g_param_spec_object ("account-store", NULL, NULL,
                         PD_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* The saved account to edit, or NULL to add one; the saved one after a save. */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         PD_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* A connection test or a save is running. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdAccountEditor::saved:
   * @self: the editor
   * @account: the account as the store now lists it
   * @added: whether it was added rather than changed
   *
   * The store saved the account and its keys.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PD_TYPE_ACCOUNT, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, name_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, gateway_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, base_url_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, currencies_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, currencies_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, keys_group);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, api_key_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, api_secret_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, api_secret_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, mode_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, mode_icon);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, mode_label);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, providers_group);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, cybersource_check);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, mpgs_check);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, providers_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, return_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, return_url_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, cancel_url_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, cancel_url_message);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, test_icon);
  gtk_widget_class_bind_template_child (widget_class, PdAccountEditor, test_spinner);
  /* Bound so that gtk_widget_dispose_template() unparents them. */
  gtk_widget_class_bind_template_child_full (widget_class, "header_bar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "page", FALSE, 0);
  /* Reachable by name for tests, with gtk_widget_get_template_child(). */
  gtk_widget_class_bind_template_child_full (widget_class, "save_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "cybersource_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "mpgs_row", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "test_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, providers_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, gateway_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.test-connection", NULL, pd_account_editor_test_connection_action);
  gtk_widget_class_install_action (widget_class, "editor.close", NULL, close_action);
}

static void
pd_account_editor_init (PdAccountEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  label_entry (self->name_row);
  label_entry (self->base_url_row);
  label_entry (self->currencies_row);
  label_entry (self->api_key_row);
  label_entry (self->api_secret_row);
  label_entry (self->return_url_row);
  label_entry (self->cancel_url_row);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->gateway_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->gateway_row)),
                                  -1);
}

/**
 * pd_account_editor_new:
 * @account_store: where the account is saved
 * @account: (nullable): a saved account to edit, or %NULL to add one
 *
 * Returns: (transfer floating): the form, to show with
 *   adw_preferences_window_present_subpage()
 */
GtkWidget *
pd_account_editor_new (PdAccountStore *account_store,
                       PdAccount      *account)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_STORE (account_store), NULL);
  g_return_val_if_fail (account == NULL || PD_IS_ACCOUNT (account), NULL);

  return g_object_new (PD_TYPE_ACCOUNT_EDITOR,
                       "account-store", account_store,
                       "account", account,
                       NULL);
}

/**
 * pd_account_editor_get_account:
 * @self: an editor
 *
 * Returns: (transfer none) (nullable): the saved account the form edits;
 *   %NULL while adding one that is not saved yet
 */
PdAccount *
pd_account_editor_get_account (PdAccountEditor *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_EDITOR (self), NULL);

  return self->account;
}

gboolean
pd_account_editor_get_busy (PdAccountEditor *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_EDITOR (self), FALSE);

  return pd_account_editor_is_busy (self);
}
