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

#include "pd-account-editor.h"
#include "pd-error.h"
#include "pd-paysgator.h"
#include "pd-pesogate.h"

/* A person waits for the answer: one try, and not the full default timeout. */
#define TEST_TIMEOUT_SECONDS 20

typedef enum
{
  FIELD_NAME,
  FIELD_BASE_URL,
  FIELD_CURRENCIES,
  FIELD_API_KEY,
  FIELD_API_SECRET,
  FIELD_PROVIDERS,
  FIELD_RETURN_URL,
  FIELD_CANCEL_URL,
  N_FIELDS
} Field;

typedef enum
{
  STATUS_NONE,
  STATUS_SUCCESS,
  STATUS_FAILURE,
} Status;

typedef enum
{
  PURPOSE_TEST,
  PURPOSE_SAVE,
} Purpose;

struct _PdAccountEditor
{
  GtkWidget            parent_instance;

  AdwWindowTitle      *window_title;
  GtkSpinner          *save_spinner;
  AdwEntryRow         *name_row;
  AdwActionRow        *name_message;
  AdwComboRow         *gateway_row;
  AdwEntryRow         *base_url_row;
  AdwActionRow        *base_url_message;
  AdwEntryRow         *currencies_row;
  AdwActionRow        *currencies_message;
  AdwPreferencesGroup *keys_group;
  AdwEntryRow         *api_key_row;
  AdwActionRow        *api_key_message;
  AdwEntryRow         *api_secret_row;
  AdwActionRow        *api_secret_message;
  AdwActionRow        *mode_row;
  GtkWidget           *mode_icon;
  GtkLabel            *mode_label;
  GtkWidget           *providers_group;
  GtkCheckButton      *cybersource_check;
  GtkCheckButton      *mpgs_check;
  AdwActionRow        *providers_message;
  AdwExpanderRow      *advanced_row;
  AdwEntryRow         *return_url_row;
  AdwActionRow        *return_url_message;
  AdwEntryRow         *cancel_url_row;
  AdwActionRow        *cancel_url_message;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkSpinner          *test_spinner;

  PdAccountStore      *account_store;
  PdAccount           *account;           /* the saved account being edited; NULL when adding */
  GCancellable        *cancellable;       /* connection tests; cancelled when the page closes */
  PdAccount           *saving;            /* what a running save hands to the store */
  guint                test_generation;   /* changes with the gateway, address or keys */
  guint                touched;           /* bits of Field the user changed */
  gboolean             show_all_problems; /* after an attempt to save */
  gboolean             filling;
  gboolean             testing;
  gboolean             valid;
};

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

/* Reading the form -------------------------------------------------------------- */

static PdGateway
get_gateway (PdAccountEditor *self)
{
  return adw_combo_row_get_selected (self->gateway_row) == PD_GATEWAY_PAYSGATOR
         ? PD_GATEWAY_PAYSGATOR : PD_GATEWAY_PESOGATE;
}

/* The text without surrounding white space, as the core would keep it. */
static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
is_blank (AdwEntryRow *row)
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
  char *text = dup_stripped (row);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The account as the form describes it: a copy of the edited one, or a new one. */
static PdAccount *
build_account (PdAccountEditor *self)
{
  g_autoptr(PdAccount) account = NULL;
  g_autofree char *name = dup_stripped (self->name_row);
  g_autofree char *base_url = dup_stripped (self->base_url_row);
  g_autofree char *currencies_text = dup_stripped (self->currencies_row);
  g_autofree char *return_url = dup_optional_url (self->return_url_row);
  g_autofree char *cancel_url = dup_optional_url (self->cancel_url_row);
  g_auto(GStrv) currencies = parse_currencies (currencies_text);

  if (self->account != NULL)
    account = pd_account_copy (self->account);
  else
    account = pd_account_new (get_gateway (self), NULL);

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
static PdAccountSecrets *
typed_secrets (PdAccountEditor *self)
{
  gboolean pesogate = get_gateway (self) == PD_GATEWAY_PESOGATE;

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
  PdGateway gateway = get_gateway (self);
  gboolean adding = self->account == NULL;
  g_autoptr(PdAccount) probe = pd_account_new (gateway, "-");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  switch (field)
    {
    case FIELD_NAME:
      text = dup_stripped (self->name_row);
      pd_account_set_display_name (probe, text);
      return problem_of (probe);

    case FIELD_BASE_URL:
      text = dup_stripped (self->base_url_row);
      if (pd_account_validate_base_url (text, &error))
        return NULL;
      return g_strdup (error->message);

    case FIELD_CURRENCIES:
      {
        g_auto(GStrv) currencies = NULL;

        text = dup_stripped (self->currencies_row);
        currencies = parse_currencies (text);
        pd_account_set_currencies (probe, (const char * const *) currencies);
        return problem_of (probe);
      }

    case FIELD_API_KEY:
      if (adding && is_blank (self->api_key_row))
        return g_strdup (_("Enter the account’s API key."));
      return NULL;

    case FIELD_API_SECRET:
      if (gateway == PD_GATEWAY_PESOGATE && adding && is_blank (self->api_secret_row))
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

static GtkWidget *
field_input (PdAccountEditor *self,
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
  GtkWidget *input = field_input (self, field);
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
  g_autoptr(PdAccountSecrets) typed = typed_secrets (self);
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

static gboolean
is_busy (PdAccountEditor *self)
{
  return self->testing || self->saving != NULL;
}

/* Test Connection needs an address and keys: typed, or stored for an edited account. */
static gboolean
can_test (PdAccountEditor *self)
{
  gboolean editing = self->account != NULL;

  if (is_busy (self) || is_blank (self->base_url_row))
    return FALSE;
  if (!editing && is_blank (self->api_key_row))
    return FALSE;
  if (!editing && get_gateway (self) == PD_GATEWAY_PESOGATE && is_blank (self->api_secret_row))
    return FALSE;
  return TRUE;
}

static void
update_actions (PdAccountEditor *self)
{
  gboolean saving = self->saving != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid && !is_busy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test-connection", can_test (self));

  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), saving);
  gtk_spinner_set_spinning (self->save_spinner, saving);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), self->testing);
  gtk_spinner_set_spinning (self->test_spinner, self->testing);
}

static void
update_state (PdAccountEditor *self)
{
  gboolean pesogate = get_gateway (self) == PD_GATEWAY_PESOGATE;
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
  update_actions (self);
}

static void
focus_first_problem (PdAccountEditor *self)
{
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autofree char *problem = field_problem (self, field);

      if (problem == NULL)
        continue;
      if (field == FIELD_RETURN_URL || field == FIELD_CANCEL_URL)
        adw_expander_row_set_expanded (self->advanced_row, TRUE);
      gtk_widget_grab_focus (field_input (self, field));
      return;
    }
}

static void
set_test_status (PdAccountEditor *self,
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
static void
connection_details_changed (PdAccountEditor *self)
{
  self->test_generation++;
  if (!self->testing)
    set_test_status (self, STATUS_NONE, _("Not tested yet"));
}

static void
set_busy (PdAccountEditor *self,
          gboolean         testing,
          PdAccount       *saving)
{
  gboolean was_busy = is_busy (self);

  self->testing = testing;
  g_set_object (&self->saving, saving);
  update_actions (self);
  if (was_busy != is_busy (self))
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
    if (field_input (self, field) == input)
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
    connection_details_changed (self);
  update_state (self);
}

static void
providers_toggled_cb (PdAccountEditor *self)
{
  if (self->filling)
    return;
  self->touched |= 1u << FIELD_PROVIDERS;
  update_state (self);
}

/* A base URL the user never changed follows the gateway. */
static void
gateway_changed_cb (PdAccountEditor *self)
{
  PdGateway gateway = get_gateway (self);
  PdGateway other = gateway == PD_GATEWAY_PESOGATE ? PD_GATEWAY_PAYSGATOR : PD_GATEWAY_PESOGATE;
  g_autofree char *base_url = NULL;

  if (self->filling)
    return;

  base_url = dup_stripped (self->base_url_row);
  if (*base_url == '\0' || g_str_equal (base_url, pd_account_default_base_url (other)))
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), pd_account_default_base_url (gateway));
      self->filling = FALSE;
    }
  connection_details_changed (self);
  update_state (self);
}

/* Enter anywhere in the form saves, once it is complete; until then it
 * shows what is missing. */
static void
entry_activated_cb (PdAccountEditor *self)
{
  if (is_busy (self))
    return;
  if (!self->valid)
    {
      self->show_all_problems = TRUE;
      update_state (self);
      focus_first_problem (self);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

/* Keys for a test or a save ------------------------------------------------------- */

static void run_test (PdAccountEditor *self, PdAccountSecrets *secrets);
static void run_save (PdAccountEditor *self, PdAccountSecrets *secrets);
static void test_finished (PdAccountEditor *self, guint generation, const GError *error);
static void save_failed (PdAccountEditor *self, const GError *error);
static void show_editing (PdAccountEditor *self);

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
        save_failed (self, error);
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
    run_save (self, merged);
}

/* Completes the typed keys with the stored ones when editing. A save with
 * both key fields empty keeps the stored keys untouched (NULL secrets). */
static void
with_secrets (PdAccountEditor *self,
              Purpose          purpose)
{
  g_autoptr(PdAccountSecrets) typed = typed_secrets (self);
  gboolean pesogate = get_gateway (self) == PD_GATEWAY_PESOGATE;
  gboolean has_key = pd_account_secrets_get_api_key (typed) != NULL;
  gboolean has_secret = pd_account_secrets_get_api_secret (typed) != NULL;
  LookupData *data;

  if (self->account == NULL || (has_key && (has_secret || !pesogate)))
    {
      if (purpose == PURPOSE_TEST)
        run_test (self, typed);
      else
        run_save (self, typed);
      return;
    }
  if (purpose == PURPOSE_SAVE && !has_key && !has_secret)
    {
      run_save (self, NULL);
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
  set_busy (self, FALSE, self->saving);
  update_state (self);

  if (generation != self->test_generation)
    {
      set_test_status (self, STATUS_NONE, _("Not tested yet"));
      return;
    }
  if (error == NULL)
    set_test_status (self, STATUS_SUCCESS, _("Connected: the keys work."));
  else if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED))
    set_test_status (self, STATUS_FAILURE,
                     get_gateway (self) == PD_GATEWAY_PESOGATE
                     ? _("The gateway refused these keys (401). Check the API key and secret.")
                     : _("The gateway refused this key (401). Check the API key."));
  else
    set_test_status (self, STATUS_FAILURE, error->message);
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
  g_autofree char *base_url = dup_stripped (self->base_url_row);
  const char *key = pd_account_secrets_get_api_key (secrets);
  const char *secret = pd_account_secrets_get_api_secret (secrets);
  g_autoptr(GObject) client = NULL;
  g_autoptr(GError) error = NULL;
  TestData *data;
  PdHttp *http;

  if (key == NULL || (get_gateway (self) == PD_GATEWAY_PESOGATE && secret == NULL))
    {
      g_set_error_literal (&error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID,
                           _("Enter the API key, and for PesoGate the API secret, to test them."));
      test_finished (self, self->test_generation, error);
      return;
    }

  if (get_gateway (self) == PD_GATEWAY_PESOGATE)
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

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PdAccountEditor *self = PD_ACCOUNT_EDITOR (widget);

  if (!can_test (self))
    return;
  set_busy (self, TRUE, self->saving);
  set_test_status (self, STATUS_NONE, _("Testing…"));
  with_secrets (self, PURPOSE_TEST);
}

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
static void
save_failed (PdAccountEditor *self,
             const GError    *error)
{
  GtkWindow *window = get_window (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  set_busy (self, self->testing, NULL);
  update_state (self);

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
      save_failed (self, error);
      return;
    }

  account = g_object_ref (self->saving);
  set_busy (self, self->testing, NULL);
  /* Later changes edit the saved account. */
  if (g_set_object (&self->account, account))
    {
      show_editing (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  clear_secrets (self);
  update_state (self);
  g_signal_emit (self, signals[SAVED], 0, account, adding);
}

static void
run_save (PdAccountEditor  *self,
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

  if (is_busy (self) || !self->valid)
    return;

  account = build_account (self);
  set_busy (self, FALSE, account);
  with_secrets (self, PURPOSE_SAVE);
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
  set_test_status (self, STATUS_NONE, _("Not tested yet"));
  update_state (self);
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
      g_value_set_boolean (value, is_busy (self));
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
  gtk_widget_class_install_action (widget_class, "editor.test-connection", NULL, test_connection_action);
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

  return is_busy (self);
}
