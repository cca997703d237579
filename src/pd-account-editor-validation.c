/* pd-account-editor-validation.c: PdAccountEditor reads and checks the form, and shows each field's problem */
#define G_LOG_DOMAIN "pd-account-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-account-editor-private.h"

/* Reading the form -------------------------------------------------------------- */

PdGateway
pd_account_editor_get_gateway (PdAccountEditor *self)
{
  return adw_combo_row_get_selected (self->gateway_row) == PD_GATEWAY_PAYSGATOR
         ? PD_GATEWAY_PAYSGATOR : PD_GATEWAY_PESOGATE;
}

/* The text without surrounding white space, as the core would keep it. */
char *
pd_account_editor_dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

gboolean
pd_account_editor_is_blank (AdwEntryRow *row)
{
  for (const char *p = gtk_editable_get_text (GTK_EDITABLE (row)); *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* "usd, EUR mzn" → { "USD", "EUR", "MZN" } */
static GStrv
parse_currencies (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,;]+", text, 0, 0);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      {
        g_autofree char *code = g_ascii_strup (parts[i], -1);

        g_strv_builder_add (builder, code);
      }
  return g_strv_builder_end (builder);
}

static GStrv
dup_providers (PdAccountEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (gtk_check_button_get_active (self->cybersource_check))
    g_strv_builder_add (builder, PD_ACCOUNT_PROVIDER_CYBERSOURCE);
  if (gtk_check_button_get_active (self->mpgs_check))
    g_strv_builder_add (builder, PD_ACCOUNT_PROVIDER_MPGS);
  return g_strv_builder_end (builder);
}

/* An empty 3-D Secure address means Paydesk's own. */
static char *
dup_optional_url (AdwEntryRow *row)
{
  char *text = pd_account_editor_dup_stripped (row);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The account as the form describes it: a copy of the edited one, or a new one. */
PdAccount *
pd_account_editor_build_account (PdAccountEditor *self)
{
  g_autoptr(PdAccount) account = NULL;
  g_autofree char *name = pd_account_editor_dup_stripped (self->name_row);
  g_autofree char *base_url = pd_account_editor_dup_stripped (self->base_url_row);
  g_autofree char *currencies_text = pd_account_editor_dup_stripped (self->currencies_row);
  g_autofree char *return_url = dup_optional_url (self->return_url_row);
  g_autofree char *cancel_url = dup_optional_url (self->cancel_url_row);
  g_auto(GStrv) currencies = parse_currencies (currencies_text);

  if (self->account != NULL)
    account = pd_account_copy (self->account);
  else
    account = pd_account_new (pd_account_editor_get_gateway (self), NULL);

  pd_account_set_display_name (account, name);
  pd_account_set_base_url (account, base_url);
  pd_account_set_currencies (account, (const char * const *) currencies);
  pd_account_set_return_url (account, return_url);
  pd_account_set_cancel_url (account, cancel_url);
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE)
    {
      g_auto(GStrv) providers = dup_providers (self);

      pd_account_set_providers (account, (const char * const *) providers);
    }
  return g_steal_pointer (&account);
}

/* The keys as typed, without surrounding white space; absent when empty. */
PdAccountSecrets *
pd_account_editor_typed_secrets (PdAccountEditor *self)
{
  gboolean pesogate = pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE;

  return pd_account_secrets_new (gtk_editable_get_text (GTK_EDITABLE (self->api_key_row)),
                                 pesogate ? gtk_editable_get_text (GTK_EDITABLE (self->api_secret_row)) : NULL);
}

/* Checking the form ------------------------------------------------------------- */

static char *
problem_of (PdAccount *probe)
{
  g_autoptr(GError) error = NULL;

  if (pd_account_validate (probe, &error))
    return NULL;
  return g_strdup (error->message);
}

/* What is wrong with @field, in the core's words where the core has a rule,
 * or NULL. Each field is checked on an otherwise valid account, so the
 * message is about this field and no other. */
static char *
field_problem (PdAccountEditor *self,
               Field            field)
{
  PdGateway gateway = pd_account_editor_get_gateway (self);
  gboolean adding = self->account == NULL;
  g_autoptr(PdAccount) probe = pd_account_new (gateway, "-");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  switch (field)
    {
    case FIELD_NAME:
      text = pd_account_editor_dup_stripped (self->name_row);
      pd_account_set_display_name (probe, text);
      return problem_of (probe);

    case FIELD_BASE_URL:
      text = pd_account_editor_dup_stripped (self->base_url_row);
      if (pd_account_validate_base_url (text, &error))
        return NULL;
      return g_strdup (error->message);

    case FIELD_CURRENCIES:
      {
        g_auto(GStrv) currencies = NULL;

        text = pd_account_editor_dup_stripped (self->currencies_row);
        currencies = parse_currencies (text);
        pd_account_set_currencies (probe, (const char * const *) currencies);
        return problem_of (probe);
      }

    case FIELD_API_KEY:
      if (adding && pd_account_editor_is_blank (self->api_key_row))
        return g_strdup (_("Enter the account’s API key."));
      return NULL;

    case FIELD_API_SECRET:
      if (gateway == PD_GATEWAY_PESOGATE && adding && pd_account_editor_is_blank (self->api_secret_row))
        return g_strdup (_("Enter the API secret too: PesoGate needs both the key and the secret."));
      return NULL;

    case FIELD_PROVIDERS:
      {
        g_auto(GStrv) providers = NULL;

        if (gateway != PD_GATEWAY_PESOGATE)
          return NULL;
        providers = dup_providers (self);
        pd_account_set_providers (probe, (const char * const *) providers);
        return problem_of (probe);
      }

    case FIELD_RETURN_URL:
      text = dup_optional_url (self->return_url_row);
      pd_account_set_return_url (probe, text);
      return problem_of (probe);

    case FIELD_CANCEL_URL:
      text = dup_optional_url (self->cancel_url_row);
      pd_account_set_cancel_url (probe, text);
      return problem_of (probe);

    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

GtkWidget *
pd_account_editor_field_input (PdAccountEditor *self,
                               Field            field)
{
  switch (field)
    {
    case FIELD_NAME:
      return GTK_WIDGET (self->name_row);
    case FIELD_BASE_URL:
      return GTK_WIDGET (self->base_url_row);
    case FIELD_CURRENCIES:
      return GTK_WIDGET (self->currencies_row);
    case FIELD_API_KEY:
      return GTK_WIDGET (self->api_key_row);
    case FIELD_API_SECRET:
      return GTK_WIDGET (self->api_secret_row);
    case FIELD_PROVIDERS:
      return GTK_WIDGET (self->cybersource_check);
    case FIELD_RETURN_URL:
      return GTK_WIDGET (self->return_url_row);
    case FIELD_CANCEL_URL:
      return GTK_WIDGET (self->cancel_url_row);
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static AdwActionRow *
field_message (PdAccountEditor *self,
               Field            field)
{
  switch (field)
    {
    case FIELD_NAME:
      return self->name_message;
    case FIELD_BASE_URL:
      return self->base_url_message;
    case FIELD_CURRENCIES:
      return self->currencies_message;
    case FIELD_API_KEY:
      return self->api_key_message;
    case FIELD_API_SECRET:
      return self->api_secret_message;
    case FIELD_PROVIDERS:
      return self->providers_message;
    case FIELD_RETURN_URL:
      return self->return_url_message;
    case FIELD_CANCEL_URL:
      return self->cancel_url_message;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
show_problem (PdAccountEditor *self,
              Field            field,
              const char      *problem)
{
  GtkWidget *input = pd_account_editor_field_input (self, field);
  AdwActionRow *message = field_message (self, field);

  gtk_widget_set_visible (GTK_WIDGET (message), problem != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (message), problem ? problem : "");
  if (field != FIELD_PROVIDERS)
    {
      if (problem != NULL)
        gtk_widget_add_css_class (input, "error");
      else
        gtk_widget_remove_css_class (input, "error");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (input),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               problem ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (problem != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (input),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

/* The mode a PaysGator key stands for, as it is typed; the saved one while
 * the key field is left empty. */
static void
update_mode (PdAccountEditor *self)
{
  g_autoptr(PdAccountSecrets) typed = pd_account_editor_typed_secrets (self);
  const char *key = pd_account_secrets_get_api_key (typed);
  PdMode mode = PD_MODE_LIVE;
  gboolean known;

  if (key != NULL)
    known = pd_account_mode_from_paysgator_key (key, &mode);
  else if (self->account != NULL)
    {
      mode = pd_account_get_mode (self->account);
      known = TRUE;
    }
  else
    known = FALSE;

  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "dim-label");
  gtk_widget_set_visible (self->mode_icon, known && mode == PD_MODE_LIVE);

  if (!known)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "dim-label");
      gtk_label_set_label (self->mode_label, key ? _("Unknown") : "");
      adw_action_row_set_subtitle (self->mode_row,
                                   key ? _("This key starts with neither live_ nor test_. Check that it is a PaysGator API key.")
                                       : _("Follows the key: live_ keys take real money, test_ keys do not."));
      return;
    }

  gtk_label_set_label (self->mode_label, pd_mode_get_label (mode));
  if (mode == PD_MODE_LIVE)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "warning");
      adw_action_row_set_subtitle (self->mode_row, _("LIVE: payments with this key take real money."));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "success");
      adw_action_row_set_subtitle (self->mode_row, _("TEST: payments with this key move no real money."));
    }
}

gboolean
pd_account_editor_is_busy (PdAccountEditor *self)
{
  return self->testing || self->saving != NULL;
}

/* Test Connection needs an address and keys: typed, or stored for an edited account. */
gboolean
pd_account_editor_can_test (PdAccountEditor *self)
{
  gboolean editing = self->account != NULL;

  if (pd_account_editor_is_busy (self) || pd_account_editor_is_blank (self->base_url_row))
    return FALSE;
  if (!editing && pd_account_editor_is_blank (self->api_key_row))
    return FALSE;
  if (!editing && pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE && pd_account_editor_is_blank (self->api_secret_row))
    return FALSE;
  return TRUE;
}

void
pd_account_editor_update_actions (PdAccountEditor *self)
{
  gboolean saving = self->saving != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid && !pd_account_editor_is_busy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test-connection", pd_account_editor_can_test (self));

  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), saving);
  gtk_spinner_set_spinning (self->save_spinner, saving);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), self->testing);
  gtk_spinner_set_spinning (self->test_spinner, self->testing);
}

void
pd_account_editor_update_state (PdAccountEditor *self)
{
  gboolean pesogate = pd_account_editor_get_gateway (self) == PD_GATEWAY_PESOGATE;
  gboolean valid = TRUE;

  if (self->filling)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->api_secret_row), pesogate);
  gtk_widget_set_visible (self->providers_group, pesogate);
  gtk_widget_set_visible (GTK_WIDGET (self->mode_row), !pesogate);

  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autofree char *problem = field_problem (self, field);
      gboolean shown = self->show_all_problems || (self->touched & (1u << field)) != 0;

      if (problem != NULL)
        valid = FALSE;
      show_problem (self, field, shown ? problem : NULL);
    }
  self->valid = valid;

  update_mode (self);
  pd_account_editor_update_actions (self);
}

void
pd_account_editor_focus_first_problem (PdAccountEditor *self)
{
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autofree char *problem = field_problem (self, field);

      if (problem == NULL)
        continue;
      if (field == FIELD_RETURN_URL || field == FIELD_CANCEL_URL)
        adw_expander_row_set_expanded (self->advanced_row, TRUE);
      gtk_widget_grab_focus (pd_account_editor_field_input (self, field));
      return;
    }
}
