/* pd-terminal-page.c: the New Payment page (virtual terminal)
 *
 * A merchant keys in a card taken over the phone; PesoGate answers with a
 * 3-D Secure challenge (shown in a PdChallengeView) or a result; every end
 * of the challenge is followed by a status check, because the status from
 * the API is the truth, never the URL the page went to. The card number
 * and security code live only in their secure-memory entries and in the one
 * request that sends them: the entries are emptied as soon as the request
 * is handed to the client, after the idle timeout, and on reset.
 *
 * One press, one attempt: Charge is disabled while a payment is in flight.
 * An attempt whose fate is unclear (the answer was lost) keeps its order id
 * for the next one, so the gateway refuses a second charge of the same
 * order, and the merchant is asked before charging again.
 */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pd-amount-entry.h"
#include "pd-application.h"
#include "pd-card-entry.h"
#include "pd-challenge-view.h"
#include "pd-currency-picker.h"
#include "pd-error.h"
#include "pd-metadata-editor.h"
#include "pd-receipt.h"
#include "pd-terminal-page.h"
#include "pd-window.h"

/* First background re-check of a pending payment, and the longest gap. */
#define RECHECK_FIRST_SECONDS 2
#define RECHECK_MAX_SECONDS   60
#define DEFAULT_IDLE_SECONDS  120

typedef enum
{
  STATE_FORM,
  STATE_SENDING,
  STATE_CHALLENGE,
  STATE_CHECKING,
  STATE_RESULT,
} State;

/* The spec's sandbox test cards: on a sandbox account these pass even
 * where Luhn says no (the CyberSource decline card fails it). */
static const char * const sandbox_test_cards[] = {
  "4111111111111111",
  "5555555555554444",
  "378282246310005",
  "4111111111111112",
  "4242424242424242",
  "5123450000000008",
  "340000000000009",
  "4000000000000002",
};

/* A ledger write, done in order after the ones before it. */
typedef struct
{
  PdAccountSession  *session;
  PdTransaction     *transaction;  /* a record, or NULL for an event */
  char              *reference;
  PdLedgerEventKind  kind;
  char              *note;
} LedgerOp;

struct _PdTerminalPage
{
  GtkWidget          parent_instance;

  GtkStack          *stack;
  GtkScrolledWindow *form_scroller;
  GtkWidget         *message_box;
  GtkImage          *message_icon;
  GtkLabel          *message_title;
  GtkLabel          *message_label;
  GtkButton         *message_button;
  GtkWidget         *fields_box;
  PdAmountEntry     *amount_entry;
  GtkLabel          *amount_error;
  PdCurrencyPicker  *currency_picker;
  GtkWidget         *provider_entry;
  GtkToggleButton   *cybersource_button;
  GtkToggleButton   *mpgs_button;
  GtkLabel          *provider_error;
  GtkEntry          *name_entry;
  GtkLabel          *name_error;
  GtkEntry          *email_entry;
  GtkLabel          *email_error;
  GtkEntry          *phone_entry;
  GtkLabel          *phone_error;
  GtkEntry          *order_id_entry;
  GtkLabel          *order_id_error;
  PdMetadataEditor  *metadata_editor;
  AdwPreferencesGroup *card_group;
  PdCardEntry       *card_entry;
  GtkLabel          *card_error;
  GtkEntry          *expiry_entry;
  GtkLabel          *expiry_error;
  GtkPasswordEntry  *cvv_entry;
  GtkLabel          *cvv_error;
  GtkButton         *charge_button;
  GtkSpinner        *progress_spinner;
  GtkLabel          *progress_label;
  PdChallengeView   *challenge_view;
  AdwStatusPage     *checking_page;
  GtkSpinner        *checking_spinner;
  PdReceipt         *receipt;

  PdAccountSession  *session;
  PdPacer           *pacer;
  gulong             pacer_handler;
  GCancellable      *cancellable;

  State              state;
  /* The payment shown: what Paydesk knows of it (brand and last four only). */
  PdTransaction     *transaction;
  char              *return_url;
  char              *cancel_url;
  /* Why the challenge ended, or what the gateway said, for the receipt. */
  char              *result_note;
  gboolean           result_recorded;
  /* An attempt whose answer was lost used this order id: the next one reuses it. */
  char              *locked_order_id;
  gboolean           charge_confirmed;

  guint              idle_seconds_override;
  guint              idle_source;
  guint              wait_tick_source;
  guint              recheck_source;
  guint              recheck_seconds;
  gboolean           rechecking;

  GQueue             ledger_ops;
  gboolean           ledger_busy;
  gboolean           ledger_error_shown;
};

G_DEFINE_FINAL_TYPE (PdTerminalPage, pd_terminal_page, GTK_TYPE_WIDGET)

static void update_actions        (PdTerminalPage *self);
static void update_progress       (PdTerminalPage *self);
static void check_status          (PdTerminalPage *self);
static void reset_form            (PdTerminalPage *self);
static void schedule_recheck      (PdTerminalPage *self);

/* Small helpers ---------------------------------------------------------------- */

static PdAccount *
get_account (PdTerminalPage *self)
{
  return self->session != NULL ? pd_account_session_get_account (self->session) : NULL;
}

static char *
dup_entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static char *
new_order_id (void)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (today, "%Y%m%d");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *random = g_ascii_strup (uuid + 24, 12);

  /* The same shape as the client's own: 48 random bits a day. */
  return g_strdup_printf ("PD-%s-%s", date, random);
}

static gboolean
is_sandbox_test_card (const char *digits)
{
  for (guint i = 0; i < G_N_ELEMENTS (sandbox_test_cards); i++)
    if (g_str_equal (digits, sandbox_test_cards[i]))
      return TRUE;
  return FALSE;
}

/* Same rule as the gateway's: one @, a dot in the domain, no spaces. */
static gboolean
is_valid_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',' || *p == '\\')
      return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at + 1, "..") == NULL && at[1] != '.';
}

static char *
dup_amount_text (PdTransaction *transaction)
{
  PdMoney money;

  if (!pd_money_init (&money, pd_transaction_get_amount (transaction),
                      pd_transaction_get_currency (transaction), NULL))
    return g_strdup ("");
  return pd_money_to_display (&money, PD_MONEY_DISPLAY_CODE, NULL);
}

/* "Visa •••• 4242": what may be kept of a card. */
static char *
dup_masked_card (PdTransaction *transaction)
{
  PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;

  pd_card_brand_from_key (pd_transaction_get_card_brand (transaction), &brand);
  /* Translators: a card brand, then the card's last four digits: "Visa •••• 4242" */
  return g_strdup_printf (_("%s •••• %s"), pd_card_brand_get_label (brand),
                          pd_transaction_get_card_last_four (transaction));
}

/* The address the gateway sends the customer to, told apart per payment. */
static char *
dup_payment_url (const char *base,
                 const char *order_id)
{
  g_autofree char *escaped = g_uri_escape_string (order_id, NULL, FALSE);

  if (g_str_has_suffix (base, "/"))
    return g_strconcat (base, escaped, NULL);
  return g_strconcat (base, "/", escaped, NULL);
}

static void
show_error_in_window (PdTerminalPage *self,
                      const char     *message,
                      const char     *detail)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (PD_IS_WINDOW (root))
    pd_window_show_error (PD_WINDOW (root), message, detail);
  else
    g_debug ("%s: %s", message, detail != NULL ? detail : "");
}

/* The ledger, in order -------------------------------------------------------- */

static void
ledger_op_free (LedgerOp *op)
{
  g_clear_object (&op->session);
  g_clear_object (&op->transaction);
  g_free (op->reference);
  g_free (op->note);
  g_free (op);
}

static void ledger_next (PdTerminalPage *self);

static void
ledger_done (PdTerminalPage *self,
             GError         *error)
{
  /* Once is enough: every later write fails the same way. */
  if (error != NULL && !self->ledger_error_shown)
    {
      show_error_in_window (self, _("The payment could not be written to the transaction history"),
                            error->message);
      self->ledger_error_shown = TRUE;
    }
  self->ledger_busy = FALSE;
  ledger_next (self);
}

static void
ledger_recorded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = pd_account_session_record_finish (PD_ACCOUNT_SESSION (source), result, &error);
  ledger_done (self, error);
}

static void
ledger_event_added_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdLedgerEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = pd_ledger_add_event_finish (PD_LEDGER (source), result, &error);
  ledger_done (self, error);
}

static void
ledger_next (PdTerminalPage *self)
{
  LedgerOp *op;

  if (self->ledger_busy || (op = g_queue_pop_head (&self->ledger_ops)) == NULL)
    return;

  self->ledger_busy = TRUE;
  /* Not cancelled with the page: what happened is kept even if it goes away. */
  if (op->transaction != NULL)
    pd_account_session_record_async (op->session, op->transaction, op->note, NULL,
                                     ledger_recorded_cb, g_object_ref (self));
  else if (pd_account_session_get_ledger (op->session) != NULL)
    pd_ledger_add_event_async (pd_account_session_get_ledger (op->session),
                               pd_account_get_id (pd_account_session_get_account (op->session)),
                               op->reference, op->kind, op->note, NULL,
                               ledger_event_added_cb, g_object_ref (self));
  else
    /* No ledger: the record before this one has said so already. */
    self->ledger_busy = FALSE;
  ledger_op_free (op);
  if (!self->ledger_busy)
    ledger_next (self);
}

static void
ledger_record (PdTerminalPage *self,
               PdTransaction  *transaction,
               const char     *note)
{
  LedgerOp *op = g_new0 (LedgerOp, 1);

  op->session = g_object_ref (self->session);
  op->transaction = pd_transaction_copy (transaction);
  op->note = g_strdup (note);
  g_queue_push_tail (&self->ledger_ops, op);
  ledger_next (self);
}

static void
ledger_event (PdTerminalPage    *self,
              PdLedgerEventKind  kind,
              const char        *note)
{
  LedgerOp *op = g_new0 (LedgerOp, 1);

  op->session = g_object_ref (self->session);
  op->reference = g_strdup (pd_transaction_get_reference (self->transaction));
  op->kind = kind;
  op->note = g_strdup (note);
  g_queue_push_tail (&self->ledger_ops, op);
  ledger_next (self);
}

/* Messages and field errors ---------------------------------------------------- */

static void
hide_message (PdTerminalPage *self)
{
  gtk_widget_set_visible (self->message_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->message_button), FALSE);
}

/* @button_label and @action_name may be NULL. */
static void
show_message (PdTerminalPage *self,
              const char     *icon_name,
              const char     *style,
              const char     *title,
              const char     *message,
              const char     *button_label,
              const char     *action_name)
{
  static const char * const styles[] = { "error", "warning", "accent" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_icon), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_icon), style);
  gtk_image_set_from_icon_name (self->message_icon, icon_name);
  gtk_label_set_label (self->message_title, title);
  gtk_label_set_label (self->message_label, message);

  gtk_widget_set_visible (GTK_WIDGET (self->message_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->message_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->message_button), action_name);
    }
  gtk_widget_set_visible (self->message_box, TRUE);
  /* The top of the form, where the message is. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0);
}

static GtkLabel *
error_label_for (PdTerminalPage *self,
                 GtkWidget      *field)
{
  if (field == GTK_WIDGET (self->amount_entry) || field == GTK_WIDGET (self->currency_picker))
    return self->amount_error;
  if (field == self->provider_entry)
    return self->provider_error;
  if (field == GTK_WIDGET (self->name_entry))
    return self->name_error;
  if (field == GTK_WIDGET (self->email_entry))
    return self->email_error;
  if (field == GTK_WIDGET (self->phone_entry))
    return self->phone_error;
  if (field == GTK_WIDGET (self->order_id_entry))
    return self->order_id_error;
  if (field == GTK_WIDGET (self->card_entry))
    return self->card_error;
  if (field == GTK_WIDGET (self->expiry_entry))
    return self->expiry_error;
  if (field == GTK_WIDGET (self->cvv_entry))
    return self->cvv_error;
  return NULL;
}

static void
set_field_error (PdTerminalPage *self,
                 GtkWidget      *field,
                 const char     *message)
{
  GtkLabel *label = error_label_for (self, field);

  if (label == NULL)
    return;

  /* Several messages for one field (the gateway's) are read one after the other. */
  if (message != NULL && gtk_widget_get_visible (GTK_WIDGET (label)))
    {
      g_autofree char *both = g_strconcat (gtk_label_get_label (label), "\n", message, NULL);

      gtk_label_set_label (label, both);
    }
  else
    gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
}

static void
clear_field_errors (PdTerminalPage *self)
{
  GtkWidget *fields[] = {
    GTK_WIDGET (self->amount_entry), self->provider_entry, GTK_WIDGET (self->name_entry),
    GTK_WIDGET (self->email_entry), GTK_WIDGET (self->phone_entry), GTK_WIDGET (self->order_id_entry),
    GTK_WIDGET (self->card_entry), GTK_WIDGET (self->expiry_entry), GTK_WIDGET (self->cvv_entry),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    set_field_error (self, fields[i], NULL);
  pd_metadata_editor_set_error (self->metadata_editor, NULL);
}

/* The form's widget for one of the gateway's field names, or NULL. */
static GtkWidget *
field_for_gateway_name (PdTerminalPage *self,
                        const char     *name)
{
  static const struct { const char *name; gsize offset; } map[] = {
    { "amount", G_STRUCT_OFFSET (PdTerminalPage, amount_entry) },
    { "currency", G_STRUCT_OFFSET (PdTerminalPage, amount_entry) },
    { "payment_provider", G_STRUCT_OFFSET (PdTerminalPage, provider_entry) },
    { "card_number", G_STRUCT_OFFSET (PdTerminalPage, card_entry) },
    { "exp_month", G_STRUCT_OFFSET (PdTerminalPage, expiry_entry) },
    { "exp_year", G_STRUCT_OFFSET (PdTerminalPage, expiry_entry) },
    { "cvv", G_STRUCT_OFFSET (PdTerminalPage, cvv_entry) },
    { "customer_name", G_STRUCT_OFFSET (PdTerminalPage, name_entry) },
    { "customer_email", G_STRUCT_OFFSET (PdTerminalPage, email_entry) },
    { "customer_phone", G_STRUCT_OFFSET (PdTerminalPage, phone_entry) },
    { "order_id", G_STRUCT_OFFSET (PdTerminalPage, order_id_entry) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].name, name))
      return G_STRUCT_MEMBER (GtkWidget *, self, map[i].offset);
  return NULL;
}

/* Card data in the entries ---------------------------------------------------- */

static gboolean
card_fields_empty (PdTerminalPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->card_entry))[0] == '\0' &&
         gtk_editable_get_text (GTK_EDITABLE (self->cvv_entry))[0] == '\0' &&
         gtk_editable_get_text (GTK_EDITABLE (self->expiry_entry))[0] == '\0';
}

/* Empties the card number, expiry and security code: their secure buffers
 * wipe what they held. */
static void
wipe_card_fields (PdTerminalPage *self)
{
  pd_card_entry_wipe (self->card_entry);
  gtk_editable_delete_text (GTK_EDITABLE (self->cvv_entry), 0, -1);
  gtk_editable_set_text (GTK_EDITABLE (self->expiry_entry), "");
  g_clear_handle_id (&self->idle_source, g_source_remove);
}

static guint
idle_seconds (PdTerminalPage *self)
{
  GApplication *app = g_application_get_default ();

  if (self->idle_seconds_override > 0)
    return self->idle_seconds_override;
  if (PD_IS_APPLICATION (app))
    return pd_settings_get_card_idle_timeout (pd_application_get_settings (PD_APPLICATION (app)));
  return DEFAULT_IDLE_SECONDS;
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  PdTerminalPage *self = user_data;
  guint minutes = (idle_seconds (self) + 59) / 60;
  g_autofree char *message = NULL;

  self->idle_source = 0;
  if (self->state != STATE_FORM || card_fields_empty (self))
    return G_SOURCE_REMOVE;

  wipe_card_fields (self);
  if (idle_seconds (self) < 60)
    message = g_strdup (_("The card details were cleared because nothing was typed for a while."));
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The card details were cleared after %u minute without input.",
                                            "The card details were cleared after %u minutes without input.",
                                            minutes),
                               minutes);
  show_message (self, "dialog-information-symbolic", "accent", _("Card Details Cleared"), message, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Any input restarts the count; nothing counts while no card is typed. */
static void
restart_idle_timeout (PdTerminalPage *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->state == STATE_FORM && !card_fields_empty (self))
    self->idle_source = g_timeout_add_seconds (idle_seconds (self), idle_timeout_cb, self);
}

static gboolean
key_pressed_cb (PdTerminalPage        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (self->idle_source != 0)
    restart_idle_timeout (self);
  return GDK_EVENT_PROPAGATE;
}

/* The form ------------------------------------------------------------------- */

static const char *
selected_provider (PdTerminalPage *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->cybersource_button)) &&
      gtk_toggle_button_get_active (self->cybersource_button))
    return PD_ACCOUNT_PROVIDER_CYBERSOURCE;
  if (gtk_widget_get_visible (GTK_WIDGET (self->mpgs_button)) &&
      gtk_toggle_button_get_active (self->mpgs_button))
    return PD_ACCOUNT_PROVIDER_MPGS;
  return NULL;
}

static void
update_charge_label (PdTerminalPage *self)
{
  PdMoney amount;
  g_autofree char *label = NULL;

  if (pd_amount_entry_get_money (self->amount_entry, &amount, NULL))
    {
      g_autofree char *text = pd_money_to_display (&amount, PD_MONEY_DISPLAY_CODE, NULL);

      /* Translators: the Charge button with the amount, e.g. "Charge USD 10.00" */
      label = g_strdup_printf (_("Charge %s"), text);
    }
  gtk_button_set_label (self->charge_button, label != NULL ? label : _("Charge"));
}

static void
lock_order_id (PdTerminalPage *self,
               const char     *order_id)
{
  g_free (self->locked_order_id);
  self->locked_order_id = g_strdup (order_id);
  self->charge_confirmed = FALSE;
  if (order_id != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->order_id_entry), order_id);
  gtk_editable_set_editable (GTK_EDITABLE (self->order_id_entry), order_id == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->order_id_entry),
                               order_id != NULL ? _("Kept for the next attempt: the last one may have gone "
                                                    "through under this order ID.") : NULL);
}

static void
reset_form (PdTerminalPage *self)
{
  PdAccount *account = get_account (self);
  const char * const *currencies = account != NULL ? pd_account_get_currencies (account) : NULL;
  g_autofree char *order_id = NULL;

  wipe_card_fields (self);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), "");
  pd_metadata_editor_clear (self->metadata_editor);
  if (currencies != NULL && currencies[0] != NULL)
    pd_currency_picker_set_currency (self->currency_picker, currencies[0]);

  /* An order id whose payment may exist stays until a payment goes through. */
  if (self->locked_order_id == NULL)
    {
      order_id = new_order_id ();
      gtk_editable_set_text (GTK_EDITABLE (self->order_id_entry), order_id);
    }

  clear_field_errors (self);
  hide_message (self);
  update_charge_label (self);
}

static void
configure_for_account (PdTerminalPage *self)
{
  PdAccount *account = get_account (self);
  gboolean has_cybersource = account != NULL && pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_CYBERSOURCE);
  gboolean has_mpgs = account != NULL && pd_account_has_provider (account, PD_ACCOUNT_PROVIDER_MPGS);

  gtk_widget_set_visible (GTK_WIDGET (self->cybersource_button), has_cybersource);
  gtk_widget_set_visible (GTK_WIDGET (self->mpgs_button), has_mpgs);
  /* The account's first provider is chosen. */
  if (account != NULL && pd_account_get_providers (account) != NULL &&
      pd_account_get_providers (account)[0] != NULL &&
      g_str_equal (pd_account_get_providers (account)[0], PD_ACCOUNT_PROVIDER_MPGS))
    gtk_toggle_button_set_active (self->mpgs_button, TRUE);
  else if (has_cybersource)
    gtk_toggle_button_set_active (self->cybersource_button, TRUE);
  else
    gtk_toggle_button_set_active (self->mpgs_button, has_mpgs);

  pd_currency_picker_set_usual_currencies (self->currency_picker,
                                           account != NULL ? pd_account_get_currencies (account) : NULL);

  adw_preferences_group_set_description (self->card_group,
                                         account != NULL && pd_account_get_sandbox (account)
                                         ? _("Sandbox: use a test card from the PesoGate guide, with any future "
                                             "expiry date. The 3-D Secure code is 1234.")
                                         : NULL);
}

static void
set_state (PdTerminalPage *self,
           State           state)
{
  self->state = state;

  switch (state)
    {
    case STATE_FORM:
    case STATE_SENDING:
      gtk_stack_set_visible_child_name (self->stack, "form");
      break;
    case STATE_CHALLENGE:
      gtk_stack_set_visible_child_name (self->stack, "challenge");
      break;
    case STATE_CHECKING:
      gtk_stack_set_visible_child_name (self->stack, "checking");
      break;
    case STATE_RESULT:
      gtk_stack_set_visible_child_name (self->stack, "receipt");
      break;
    default:
      g_assert_not_reached ();
    }

  /* A focused entry made insensitive never hears it lost the focus (GTK #5845). */
  if (state != STATE_FORM)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
        gtk_root_set_focus (root, NULL);
    }
  gtk_widget_set_sensitive (self->fields_box, state == STATE_FORM);
  gtk_spinner_set_spinning (self->checking_spinner, state == STATE_CHECKING);
  if (state != STATE_FORM)
    g_clear_handle_id (&self->idle_source, g_source_remove);
  update_actions (self);
  update_progress (self);
}

static void
update_actions (PdTerminalPage *self)
{
  gboolean open = self->session != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminal.charge", open && self->state == STATE_FORM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminal.reset", open && self->state == STATE_FORM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminal.new-payment", open && self->state == STATE_RESULT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "terminal.cancel-challenge", self->state == STATE_CHALLENGE);
}

/* The rate limit's wait, live ---------------------------------------------------- */

static gboolean
wait_tick_cb (gpointer user_data)
{
  PdTerminalPage *self = user_data;

  update_progress (self);
  if (self->pacer != NULL && pd_pacer_get_waiting_until (self->pacer) > 0)
    return G_SOURCE_CONTINUE;
  self->wait_tick_source = 0;
  return G_SOURCE_REMOVE;
}

static void
update_progress (PdTerminalPage *self)
{
  guint waiting = self->pacer != NULL && pd_pacer_get_waiting_until (self->pacer) > 0
                  ? pd_pacer_get_waiting_seconds (self->pacer) : 0;
  g_autofree char *wait_text = NULL;
  const char *text = NULL;

  if (waiting > 0)
    {
      /* Translators: %u is a number of seconds */
      wait_text = g_strdup_printf (_("Waiting %u s for the gateway’s rate limit…"), waiting);
      if (self->wait_tick_source == 0)
        self->wait_tick_source = g_timeout_add (250, wait_tick_cb, self);
    }

  if (self->state == STATE_SENDING)
    text = wait_text != NULL ? wait_text : _("Sending the payment to PesoGate…");
  gtk_label_set_label (self->progress_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_spinner), text != NULL);
  gtk_spinner_set_spinning (self->progress_spinner, text != NULL);

  adw_status_page_set_description (self->checking_page,
                                   wait_text != NULL ? wait_text : _("Asking PesoGate how the payment ended…"));
}

static void
pacer_waiting_changed_cb (PdTerminalPage *self)
{
  update_progress (self);
}

/* The result ------------------------------------------------------------------- */

static void
show_receipt (PdTerminalPage *self)
{
  PdAccount *account = get_account (self);
  g_autoptr(GString) note = g_string_new (self->result_note);
  PdStatus status = pd_transaction_get_status (self->transaction);

  if (!pd_status_is_final (status))
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Paydesk asks PesoGate again in the background; this receipt updates itself."));
    }
  else if (note->len == 0 && status == PD_STATUS_FAILED)
    g_string_append (note, _("The bank declined the payment or the 3-D Secure check failed: no money was taken."));
  else if (note->len == 0 && status == PD_STATUS_CANCELLED)
    g_string_append (note, _("The payment was cancelled: no money was taken."));

  pd_receipt_set_merchant (self->receipt, pd_account_get_display_name (account));
  pd_receipt_set_sandbox (self->receipt, pd_account_get_sandbox (account));
  pd_receipt_set_note (self->receipt, note->len > 0 ? note->str : NULL);
  pd_receipt_set_transaction (self->receipt, self->transaction);
  set_state (self, STATE_RESULT);
}

/* @fresh is what the status call gave: its status and amount are the truth;
 * what it does not say is kept from what Paydesk sent. */
static gboolean
merge_status (PdTerminalPage *self,
              PdTransaction  *fresh)
{
  PdTransaction *t = self->transaction;
  gboolean changed = pd_transaction_get_status (t) != pd_transaction_get_status (fresh) ||
                     g_strcmp0 (pd_transaction_get_gateway_status (t), pd_transaction_get_gateway_status (fresh)) != 0;

  pd_transaction_set_status (t, pd_transaction_get_status (fresh));
  pd_transaction_set_gateway_status (t, pd_transaction_get_gateway_status (fresh));
  pd_transaction_set_amount (t, pd_transaction_get_amount (fresh));
  pd_transaction_set_currency (t, pd_transaction_get_currency (fresh));
  if (pd_transaction_get_completed_at (fresh) > 0)
    pd_transaction_set_completed_at (t, pd_transaction_get_completed_at (fresh));
  if (pd_transaction_get_card_last_four (fresh) != NULL)
    pd_transaction_set_card_last_four (t, pd_transaction_get_card_last_four (fresh));
  if (pd_transaction_get_card_brand (fresh) != NULL &&
      !g_str_equal (pd_transaction_get_card_brand (fresh), "unknown"))
    pd_transaction_set_card_brand (t, pd_transaction_get_card_brand (fresh));
  return changed;
}

static gboolean
recheck_cb (gpointer user_data)
{
  PdTerminalPage *self = user_data;

  self->recheck_source = 0;
  self->rechecking = TRUE;
  check_status (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_recheck (PdTerminalPage *self)
{
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  self->recheck_seconds = self->recheck_seconds == 0 ? RECHECK_FIRST_SECONDS
                                                     : MIN (self->recheck_seconds * 2, RECHECK_MAX_SECONDS);
  self->recheck_source = g_timeout_add_seconds (self->recheck_seconds, recheck_cb, self);
}

static void
status_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdTransaction) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean background = self->rechecking;

  fresh = pd_pesogate_status_finish (PD_PESOGATE (source), result, &error);
  self->rechecking = FALSE;
  if (self->stack == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED) ||
      self->transaction == NULL || (self->state != STATE_CHECKING && self->state != STATE_RESULT))
    return;

  if (fresh == NULL)
    {
      /* Translators: %s says why, e.g. "The payment gateway took too long to answer." */
      g_autofree char *note = g_strdup_printf (_("Paydesk could not check how the payment ended: %s"),
                                               error->message);

      if (!background)
        {
          g_free (self->result_note);
          self->result_note = g_steal_pointer (&note);
          show_receipt (self);
        }
      schedule_recheck (self);
      return;
    }

  if (merge_status (self, fresh) || !self->result_recorded)
    /* Sources are keys the transaction details translate when shown. */
    ledger_record (self, self->transaction, "status check");

  if (!self->result_recorded)
    {
      /* Translators: a ledger note; %s is a status, e.g. "Completed" */
      g_autofree char *note = g_strdup_printf (_("Shown to the merchant as %s"),
                                               pd_status_get_label (pd_transaction_get_status (self->transaction)));

      ledger_event (self, PD_LEDGER_EVENT_RESULT, note);
      self->result_recorded = TRUE;
    }
  else if (pd_status_is_final (pd_transaction_get_status (self->transaction)))
    g_clear_pointer (&self->result_note, g_free);

  show_receipt (self);
  if (!pd_status_is_final (pd_transaction_get_status (self->transaction)))
    schedule_recheck (self);
}

static void
check_status (PdTerminalPage *self)
{
  PdPesogate *pesogate = pd_account_session_get_pesogate (self->session);

  /* A refresh nobody waits for yields to what the merchant does. */
  pd_pesogate_status_async (pesogate, pd_transaction_get_reference (self->transaction),
                            self->rechecking ? PD_HTTP_FLAGS_BACKGROUND : PD_HTTP_FLAGS_NONE,
                            self->cancellable, status_checked_cb, g_object_ref (self));
}

static void
challenge_finished_cb (PdTerminalPage  *self,
                       PdChallengeEnd   end,
                       const char      *url,
                       PdChallengeView *view)
{
  const char *note;

  if (self->stack == NULL || self->state != STATE_CHALLENGE)
    return;

  switch (end)
    {
    case PD_CHALLENGE_END_RETURN_URL:
      note = _("The bank’s page returned to Paydesk");
      break;
    case PD_CHALLENGE_END_CANCEL_URL:
      note = _("The bank’s page returned to Paydesk through the cancel address");
      break;
    case PD_CHALLENGE_END_CANCELLED:
      note = _("The merchant closed the 3-D Secure page");
      g_free (self->result_note);
      self->result_note = g_strdup (_("The 3-D Secure check was closed before the customer finished it."));
      break;
    case PD_CHALLENGE_END_TIMED_OUT:
      note = _("Nobody finished the 3-D Secure page in time");
      g_free (self->result_note);
      self->result_note = g_strdup (_("The 3-D Secure check was left unfinished for too long."));
      break;
    case PD_CHALLENGE_END_LOAD_FAILED:
    default:
      note = _("The 3-D Secure page could not be loaded");
      g_free (self->result_note);
      self->result_note = g_strdup (pd_challenge_view_get_failure_message (view) != NULL
                                    ? pd_challenge_view_get_failure_message (view)
                                    : _("The bank’s 3-D Secure page could not be loaded."));
      break;
    }

  ledger_event (self, PD_LEDGER_EVENT_CHALLENGE_ENDED, note);
  set_state (self, STATE_CHECKING);
  check_status (self);
}

static void
show_challenge (PdTerminalPage         *self,
                const PdPaymentOutcome *outcome)
{
  PdAccount *account = get_account (self);
  g_autofree char *amount = dup_amount_text (self->transaction);
  g_autofree char *card = dup_masked_card (self->transaction);

  set_state (self, STATE_CHALLENGE);
  pd_challenge_view_start (self->challenge_view, outcome, self->return_url, self->cancel_url,
                           amount, card, pd_account_get_display_name (account));
  ledger_event (self, PD_LEDGER_EVENT_CHALLENGE_SHOWN,
                pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_REDIRECT
                ? _("3-D Secure page shown in Paydesk (redirect)")
                : _("3-D Secure page shown in Paydesk"));
}

/* Sending ----------------------------------------------------------------------- */

/* Errors after which the payment may exist at the gateway. */
static gboolean
error_is_ambiguous (const GError *error)
{
  return g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN) ||
         g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_TIMEOUT) ||
         g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE) ||
         g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER) ||
         g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED);
}

static void
show_gateway_fields (PdTerminalPage *self,
                     const GError   *error)
{
  GHashTable *fields = pd_gateway_error_get_fields (error);
  GHashTableIter iter;
  gpointer key, value;
  GtkWidget *first = NULL;

  if (fields == NULL)
    return;

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkWidget *field = field_for_gateway_name (self, key);
      const char * const *messages = value;

      for (guint i = 0; messages != NULL && messages[i] != NULL; i++)
        {
          /* Only the field's own words: a card number never comes back in one. */
          g_autofree char *safe = pd_redact_card_numbers (messages[i]);

          if (field != NULL)
            set_field_error (self, field, safe);
          else if (g_str_equal (key, "metadata"))
            pd_metadata_editor_set_error (self->metadata_editor, safe);
        }
      if (field != NULL && first == NULL)
        first = field;
    }
  if (first != NULL && first != GTK_WIDGET (self->order_id_entry))
    gtk_widget_grab_focus (first);
}

typedef struct
{
  PdTerminalPage *self;
  GError         *error;
  char           *order_id;
} FailedAttempt;

static void
failed_attempt_free (FailedAttempt *attempt)
{
  g_object_unref (attempt->self);
  g_error_free (attempt->error);
  g_free (attempt->order_id);
  g_free (attempt);
}

/* What went wrong, as a title for the message. */
static const char *
send_error_title (const GError *error)
{
  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION))
    return _("PesoGate Refused Some Details");
  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED))
    return _("The Account’s Keys Were Refused");
  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NETWORK))
    return _("PesoGate Could Not Be Reached");
  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_TLS))
    return _("The Connection Is Not Safe");
  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_RATE_LIMITED))
    return _("PesoGate Asked Paydesk to Slow Down");
  return _("The Payment Was Not Made");
}

static void
show_send_error (PdTerminalPage *self,
                 const GError   *error,
                 const char     *order_id,
                 PdTransaction  *known)
{
  g_autoptr(GString) message = g_string_new (NULL);
  const char *title = send_error_title (error);
  const char *button = NULL;
  const char *action = NULL;

  show_gateway_fields (self, error);

  if (known != NULL)
    {
      g_autofree char *status = g_strdup (pd_status_get_label (pd_transaction_get_status (known)));
      /* Translators: %s is a payment's reference, then its status, e.g. "Completed" */
      g_autofree char *field = g_strdup_printf (_("Already used by the payment %s (%s). Choose another order ID."),
                                                pd_transaction_get_reference (known), status);

      set_field_error (self, GTK_WIDGET (self->order_id_entry), NULL);
      set_field_error (self, GTK_WIDGET (self->order_id_entry), field);
      title = _("Order ID Already Used");
      g_string_append (message, _("This order ID belongs to a payment Paydesk already knows, so PesoGate refused "
                                  "this one: nothing was charged."));
      gtk_widget_grab_focus (GTK_WIDGET (self->order_id_entry));
    }
  else if (error_is_ambiguous (error))
    {
      lock_order_id (self, order_id);
      title = _("The Payment May Have Gone Through");
      g_string_append (message, g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN)
                                ? _("PesoGate’s answer was lost.") : error->message);
      g_string_append_c (message, ' ');
      /* Translators: %s is the payment's order id */
      g_string_append_printf (message, _("PesoGate cannot look a payment up by its order ID (%s): check PesoGate’s "
                                         "records before charging this card again. A new attempt keeps this order "
                                         "ID, so PesoGate refuses it if the first one went through."),
                              order_id);
    }
  else if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND))
    {
      /* Initialize has no item to miss: the account's address is wrong. */
      title = _("PesoGate Was Not Found");
      g_string_append (message, _("There are no PesoGate payments at this account’s address. Check the gateway "
                                  "address in the account settings."));
      button = _("Open Preferences");
      action = "app.preferences";
    }
  else
    {
      g_string_append (message, error->message);
      if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_INSECURE_URL))
        {
          button = _("Open Preferences");
          action = "app.preferences";
        }
    }

  g_string_append_printf (message, "\n\n%s", _("The card details were cleared: enter them again to retry."));
  if (self->locked_order_id != NULL)
    {
      button = _("Use a New Order ID…");
      action = "terminal.new-order-id";
    }
  show_message (self, "dialog-warning-symbolic", "error", title, message->str, button, action);
}

static void
found_by_order_id_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FailedAttempt *attempt = user_data;
  g_autoptr(PdTransaction) known = NULL;
  g_autoptr(GError) error = NULL;

  known = pd_ledger_find_by_order_id_finish (PD_LEDGER (source), result, &error);
  if (error != NULL)
    g_debug ("looking the order id up in the ledger failed: %s", error->message);
  if (attempt->self->stack != NULL && attempt->self->state == STATE_FORM && attempt->self->session != NULL)
    show_send_error (attempt->self, attempt->error, attempt->order_id,
                     known != NULL && pd_transaction_get_reference (known) != NULL ? known : NULL);
  failed_attempt_free (attempt);
}

/* The order id is taken: by a payment the ledger knows, or by the one
 * whose answer was lost. Only the ledger can tell. */
static gboolean
says_order_id_taken (const GError *error)
{
  GHashTable *fields = pd_gateway_error_get_fields (error);

  return fields != NULL && g_hash_table_contains (fields, "order_id");
}

static void
initialized_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  const char *order_id = pd_transaction_get_order_id (self->transaction);

  outcome = pd_pesogate_initialize_finish (PD_PESOGATE (source), result, &error);
  /* Gone (disposed) or moved on to another account. */
  if (self->stack == NULL || self->state != STATE_SENDING)
    return;

  if (outcome == NULL)
    {
      g_autofree char *kept_order_id = g_strdup (order_id);

      g_debug ("the payment was not initialized: %s", error->message);
      g_clear_object (&self->transaction);
      set_state (self, STATE_FORM);

      if (says_order_id_taken (error) && pd_account_session_get_ledger (self->session) != NULL)
        {
          FailedAttempt *attempt = g_new0 (FailedAttempt, 1);

          attempt->self = g_object_ref (self);
          attempt->error = g_steal_pointer (&error);
          attempt->order_id = g_steal_pointer (&kept_order_id);
          pd_ledger_find_by_order_id_async (pd_account_session_get_ledger (self->session),
                                            pd_account_get_id (get_account (self)), attempt->order_id,
                                            self->cancellable, found_by_order_id_cb, attempt);
          return;
        }
      show_send_error (self, error, kept_order_id, NULL);
      return;
    }

  /* It exists now, under a reference: the next payment gets a new order id. */
  lock_order_id (self, NULL);

  pd_transaction_set_reference (self->transaction, pd_payment_outcome_get_transaction_reference (outcome));
  if (pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_FINAL &&
      pd_payment_outcome_get_status (outcome) != PD_STATUS_UNKNOWN)
    {
      pd_transaction_set_status (self->transaction, pd_payment_outcome_get_status (outcome));
      pd_transaction_set_gateway_status (self->transaction, pd_payment_outcome_get_gateway_status (outcome));
    }
  ledger_record (self, self->transaction, "virtual terminal");

  if (pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_FINAL)
    {
      g_free (self->result_note);
      self->result_note = pd_redact_card_numbers (pd_payment_outcome_get_message (outcome) != NULL
                                                  ? pd_payment_outcome_get_message (outcome) : "");
      set_state (self, STATE_CHECKING);
      check_status (self);
      return;
    }

  show_challenge (self, outcome);
}

/* Reads and checks the form. On success *@request holds the card (wipe it
 * by sending or unreffing) and self->transaction what may be kept. */
static gboolean
read_form (PdTerminalPage    *self,
           PdPaymentRequest **request_out)
{
  PdAccount *account = get_account (self);
  g_autoptr(PdPaymentRequest) request = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = dup_entry_text (self->name_entry);
  g_autofree char *email = dup_entry_text (self->email_entry);
  g_autofree char *phone = dup_entry_text (self->phone_entry);
  g_autofree char *order_id = dup_entry_text (self->order_id_entry);
  g_autofree char *expiry_text = dup_entry_text (self->expiry_entry);
  const char *cvv = gtk_editable_get_text (GTK_EDITABLE (self->cvv_entry));
  const char *provider = selected_provider (self);
  GtkWidget *first_error = NULL;
  char digits[PD_CARD_DIGITS_SIZE];
  char month[3], year[5];
  PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;
  PdCardExpiry expiry = { 0 };
  PdMoney amount = { 0 };
  char last_four[5] = { 0 };

#define FIELD_ERROR(field, message) \
  G_STMT_START { \
    set_field_error (self, GTK_WIDGET (field), (message)); \
    if (first_error == NULL) \
      first_error = GTK_WIDGET (field); \
  } G_STMT_END

  clear_field_errors (self);

  if (!pd_amount_entry_get_money (self->amount_entry, &amount, &error))
    FIELD_ERROR (self->amount_entry, error->message);
  g_clear_error (&error);

  if (provider == NULL)
    FIELD_ERROR (self->provider_entry, _("Choose the provider for this payment"));

  if (email[0] != '\0' && !is_valid_email (email))
    FIELD_ERROR (self->email_entry, _("This is not an email address"));

  if (order_id[0] == '\0')
    FIELD_ERROR (self->order_id_entry, _("Enter an order ID"));
  else if (!g_utf8_validate (order_id, -1, NULL) || g_utf8_strlen (order_id, -1) > 255)
    FIELD_ERROR (self->order_id_entry, _("An order ID has at most 255 characters"));

  if (!pd_metadata_editor_get_metadata (self->metadata_editor, &metadata, &error) && first_error == NULL)
    first_error = GTK_WIDGET (self->metadata_editor);
  g_clear_error (&error);

  pd_card_entry_get_digits (self->card_entry, digits);
  if (!pd_card_validate_number (digits, &brand, &error))
    {
      /* A merchant must be able to practise a decline on the sandbox. */
      if (g_error_matches (error, PD_CARD_ERROR, PD_CARD_ERROR_CHECKSUM) &&
          pd_account_get_sandbox (account) && is_sandbox_test_card (digits))
        brand = pd_card_detect_brand (digits);
      else
        FIELD_ERROR (self->card_entry, error->message);
      g_clear_error (&error);
    }
  if (brand == PD_CARD_BRAND_UNKNOWN)
    brand = pd_card_entry_get_brand (self->card_entry);

  if (!pd_card_expiry_parse_text (expiry_text, now, &expiry, &error))
    FIELD_ERROR (self->expiry_entry, error->message);
  g_clear_error (&error);

  if (!pd_card_validate_cvv (cvv, brand, &error))
    FIELD_ERROR (self->cvv_entry, error->message);
  g_clear_error (&error);

#undef FIELD_ERROR

  if (first_error != NULL)
    {
      pd_card_wipe (digits, sizeof digits);
      gtk_widget_grab_focus (first_error);
      return FALSE;
    }

  pd_card_expiry_to_wire (&expiry, month, year);
  request = pd_payment_request_new (&amount, provider);
  pd_payment_request_set_order_id (request, order_id);
  if (!pd_payment_request_set_card (request, digits, month, year, cvv, &error))
    {
      pd_card_wipe (digits, sizeof digits);
      set_field_error (self, GTK_WIDGET (self->card_entry), error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->card_entry));
      return FALSE;
    }
  pd_card_last_four (digits, last_four);
  pd_card_wipe (digits, sizeof digits);

  pd_payment_request_set_customer (request, empty_to_null (email), empty_to_null (name), empty_to_null (phone));
  g_free (self->return_url);
  g_free (self->cancel_url);
  self->return_url = dup_payment_url (pd_account_get_return_url (account), order_id);
  self->cancel_url = dup_payment_url (pd_account_get_cancel_url (account), order_id);
  pd_payment_request_set_urls (request, self->return_url, self->cancel_url);
  if (metadata != NULL)
    pd_payment_request_set_metadata (request, metadata);

  /* What the ledger may keep: brand and last four, never more. */
  g_clear_object (&self->transaction);
  self->transaction = pd_transaction_new ();
  pd_transaction_set_account_id (self->transaction, pd_account_get_id (account));
  pd_transaction_set_gateway (self->transaction, PD_GATEWAY_PESOGATE);
  pd_transaction_set_mode (self->transaction, pd_account_get_mode (account));
  pd_transaction_set_order_id (self->transaction, order_id);
  pd_transaction_set_amount (self->transaction, amount.minor);
  pd_transaction_set_currency (self->transaction, amount.currency);
  pd_transaction_set_status (self->transaction, PD_STATUS_INITIALIZED);
  pd_transaction_set_gateway_status (self->transaction, "initialized");
  pd_transaction_set_provider (self->transaction, provider);
  pd_transaction_set_payment_method (self->transaction, "card");
  pd_transaction_set_card_brand (self->transaction, pd_card_brand_to_key (brand));
  pd_transaction_set_card_last_four (self->transaction, last_four);
  pd_transaction_set_customer_name (self->transaction, empty_to_null (name));
  pd_transaction_set_customer_email (self->transaction, empty_to_null (email));
  pd_transaction_set_customer_phone (self->transaction, empty_to_null (phone));
  pd_transaction_set_created_at (self->transaction, g_date_time_to_unix (now));
  if (metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), metadata);
      g_autofree char *text = json_to_string (node, FALSE);

      pd_transaction_set_metadata (self->transaction, text);
    }

  *request_out = g_steal_pointer (&request);
  return TRUE;
}

static void
charge (PdTerminalPage *self)
{
  g_autoptr(PdPaymentRequest) request = NULL;

  if (!read_form (self, &request))
    return;

  hide_message (self);
  g_clear_pointer (&self->result_note, g_free);
  self->result_recorded = FALSE;
  self->recheck_seconds = 0;
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  set_state (self, STATE_SENDING);

  pd_pesogate_initialize_async (pd_account_session_get_pesogate (self->session), request,
                                self->cancellable, initialized_cb, g_object_ref (self));
  /* The request holds the only copy now (and wipes it once sent). */
  wipe_card_fields (self);
}

static void
confirm_response_cb (PdTerminalPage   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "charge") != 0 || self->state != STATE_FORM)
    return;
  self->charge_confirmed = TRUE;
  charge (self);
}

static void
charge_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->state != STATE_FORM || self->session == NULL)
    return;

  if (self->locked_order_id == NULL || self->charge_confirmed)
    {
      charge (self);
      return;
    }

  /* The last attempt may have gone through: never charge again unasked. */
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Charge Again?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The last attempt may have gone through under order ID %s. Charging again "
                                    "sends the same order ID, so PesoGate refuses it if that payment exists."),
                                  self->locked_order_id);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "charge", _("C_harge Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "charge", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_order_id_response_cb (PdTerminalPage   *self,
                          const char       *response,
                          AdwMessageDialog *dialog)
{
  g_autofree char *order_id = NULL;

  if (g_strcmp0 (response, "new") != 0 || self->state != STATE_FORM)
    return;

  lock_order_id (self, NULL);
  order_id = new_order_id ();
  gtk_editable_set_text (GTK_EDITABLE (self->order_id_entry), order_id);
  set_field_error (self, GTK_WIDGET (self->order_id_entry), NULL);
  hide_message (self);
}

static void
new_order_id_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->locked_order_id == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Use a New Order ID?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Only do this after checking PesoGate’s records: if the payment under order "
                                    "ID %s went through, a payment with a new order ID charges the card again."),
                                  self->locked_order_id);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "new", _("_Use a New Order ID"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "new", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_order_id_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);

  if (self->state == STATE_FORM)
    reset_form (self);
}

static void
new_payment (PdTerminalPage *self)
{
  if (self->state != STATE_RESULT)
    return;

  g_clear_handle_id (&self->recheck_source, g_source_remove);
  g_clear_object (&self->transaction);
  g_clear_pointer (&self->result_note, g_free);
  set_state (self, STATE_FORM);
  reset_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_entry));
}

static void
new_payment_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  new_payment (PD_TERMINAL_PAGE (widget));
}

static void
receipt_new_payment_cb (PdTerminalPage *self)
{
  new_payment (self);
}

static void
cancel_challenge_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);

  if (self->state == STATE_CHALLENGE)
    pd_challenge_view_cancel (self->challenge_view);
}

/* Typing ------------------------------------------------------------------------ */

static void
field_changed_cb (PdTerminalPage *self,
                  GtkEditable    *editable)
{
  GtkWidget *field = GTK_WIDGET (editable);

  /* What the merchant changes is judged again on the next Charge. */
  if (gtk_widget_has_css_class (field, "error"))
    set_field_error (self, field, NULL);
  if (field == GTK_WIDGET (self->amount_entry))
    update_charge_label (self);
  if (field == GTK_WIDGET (self->card_entry) || field == GTK_WIDGET (self->cvv_entry) ||
      field == GTK_WIDGET (self->expiry_entry))
    restart_idle_timeout (self);
}

static void
currency_changed_cb (PdTerminalPage *self)
{
  pd_amount_entry_set_currency (self->amount_entry, pd_currency_picker_get_currency (self->currency_picker));
  set_field_error (self, GTK_WIDGET (self->amount_entry), NULL);
  update_charge_label (self);
}

static void
provider_toggled_cb (PdTerminalPage *self)
{
  if (selected_provider (self) != NULL)
    set_field_error (self, self->provider_entry, NULL);
}

/* Enter moves to the next field; in the last of the card (the security
 * code) or of the order (its id), it charges. */
static void
entry_activate_cb (PdTerminalPage *self,
                   GtkWidget      *entry)
{
  GtkWidget *next[][2] = {
    { GTK_WIDGET (self->amount_entry), GTK_WIDGET (self->card_entry) },
    { GTK_WIDGET (self->card_entry), GTK_WIDGET (self->expiry_entry) },
    { GTK_WIDGET (self->expiry_entry), GTK_WIDGET (self->cvv_entry) },
    { GTK_WIDGET (self->name_entry), GTK_WIDGET (self->email_entry) },
    { GTK_WIDGET (self->email_entry), GTK_WIDGET (self->phone_entry) },
    { GTK_WIDGET (self->phone_entry), GTK_WIDGET (self->order_id_entry) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (next); i++)
    if (next[i][0] == entry)
      {
        gtk_widget_grab_focus (next[i][1]);
        return;
      }
  gtk_widget_activate_action (GTK_WIDGET (self), "terminal.charge", NULL);
}

/* MM/YY: the slash comes by itself after the month. */
static void
expiry_insert_text_cb (PdTerminalPage *self,
                       const char     *text,
                       int             length,
                       int            *position,
                       GtkEditable    *editable)
{
  const char *current = gtk_editable_get_text (editable);
  g_autoptr(GString) result = g_string_new (NULL);
  gsize split = (gsize) (g_utf8_offset_to_pointer (current, *position) - current);
  g_autofree char *digits = NULL;

  g_string_append_len (result, current, (gssize) split);
  g_string_append_len (result, text, length);
  g_string_append (result, current + split);

  if (strchr (result->str, '/') != NULL || result->len < 3)
    return;
  for (gsize i = 0; i < result->len; i++)
    if (!g_ascii_isdigit (result->str[i]))
      return;

  digits = g_strndup (result->str, 4);
  g_string_printf (result, "%.2s/%s", digits, digits + 2);

  g_signal_stop_emission_by_name (editable, "insert-text");
  g_signal_handlers_block_by_func (editable, expiry_insert_text_cb, self);
  gtk_editable_set_text (editable, result->str);
  g_signal_handlers_unblock_by_func (editable, expiry_insert_text_cb, self);
  *position = (int) g_utf8_strlen (result->str, -1);
  gtk_editable_set_position (editable, *position);
}

/* Only digits in the security code, and no undo history keeping it. */
static void
cvv_insert_text_cb (PdTerminalPage *self,
                    const char     *text,
                    int             length,
                    int            *position,
                    GtkEditable    *editable)
{
  for (int i = 0; length < 0 ? text[i] != '\0' : i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      {
        g_signal_stop_emission_by_name (editable, "insert-text");
        gtk_widget_error_bell (GTK_WIDGET (self->cvv_entry));
        return;
      }
}

/* GObject ---------------------------------------------------------------------- */

static void
pd_terminal_page_dispose (GObject *object)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->wait_tick_source, g_source_remove);
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  g_clear_signal_handler (&self->pacer_handler, self->pacer);
  g_clear_object (&self->pacer);

  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_TERMINAL_PAGE);
  g_clear_object (&self->session);
  g_clear_object (&self->transaction);

  G_OBJECT_CLASS (pd_terminal_page_parent_class)->dispose (object);
}

static void
pd_terminal_page_finalize (GObject *object)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (object);

  g_queue_clear_full (&self->ledger_ops, (GDestroyNotify) ledger_op_free);
  g_clear_object (&self->cancellable);
  g_free (self->return_url);
  g_free (self->cancel_url);
  g_free (self->result_note);
  g_free (self->locked_order_id);

  G_OBJECT_CLASS (pd_terminal_page_parent_class)->finalize (object);
}

static void
pd_terminal_page_class_init (PdTerminalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_terminal_page_dispose;
  object_class->finalize = pd_terminal_page_finalize;

  g_type_ensure (PD_TYPE_AMOUNT_ENTRY);
  g_type_ensure (PD_TYPE_CARD_ENTRY);
  g_type_ensure (PD_TYPE_CHALLENGE_VIEW);
  g_type_ensure (PD_TYPE_CURRENCY_PICKER);
  g_type_ensure (PD_TYPE_METADATA_EDITOR);
  g_type_ensure (PD_TYPE_RECEIPT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-terminal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, message_box);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, message_icon);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, message_title);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, message_button);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, amount_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, currency_picker);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, provider_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, cybersource_button);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, mpgs_button);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, provider_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, name_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, email_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, email_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, phone_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, order_id_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, order_id_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, metadata_editor);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, card_group);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, card_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, card_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, expiry_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, expiry_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, cvv_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, cvv_error);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, charge_button);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, challenge_view);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, checking_page);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdTerminalPage, receipt);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, currency_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, provider_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, challenge_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, receipt_new_payment_cb);

  gtk_widget_class_install_action (widget_class, "terminal.charge", NULL, charge_action);
  gtk_widget_class_install_action (widget_class, "terminal.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "terminal.new-payment", NULL, new_payment_action);
  gtk_widget_class_install_action (widget_class, "terminal.new-order-id", NULL, new_order_id_action);
  gtk_widget_class_install_action (widget_class, "terminal.cancel-challenge", NULL, cancel_challenge_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "terminal.cancel-challenge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "terminal.charge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "terminal.charge", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pd_terminal_page_init (PdTerminalPage *self)
{
  GtkEventController *keys;
  GtkEditable *cvv_text;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->ledger_ops);

  /* The expiry and security code filters run before GtkEntry's own. */
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->expiry_entry)), "insert-text",
                           G_CALLBACK (expiry_insert_text_cb), self, G_CONNECT_SWAPPED);
  cvv_text = gtk_editable_get_delegate (GTK_EDITABLE (self->cvv_entry));
  g_signal_connect_object (cvv_text, "insert-text", G_CALLBACK (cvv_insert_text_cb), self, G_CONNECT_SWAPPED);
  gtk_text_set_max_length (GTK_TEXT (cvv_text), 4);
  g_object_set (cvv_text, "enable-undo", FALSE, NULL);
  gtk_text_set_input_purpose (GTK_TEXT (cvv_text), GTK_INPUT_PURPOSE_PIN);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  self->state = STATE_FORM;
  gtk_stack_set_visible_child_name (self->stack, "none");
  update_actions (self);
  update_charge_label (self);
}

GtkWidget *
pd_terminal_page_new (void)
{
  return g_object_new (PD_TYPE_TERMINAL_PAGE, NULL);
}

void
pd_terminal_page_set_session (PdTerminalPage   *self,
                              PdAccountSession *session)
{
  PdAccount *account;

  g_return_if_fail (PD_IS_TERMINAL_PAGE (self));
  g_return_if_fail (session == NULL || PD_IS_ACCOUNT_SESSION (session));

  if (self->session == session)
    return;
  /* Disposed: only let go. */
  if (self->stack == NULL)
    {
      g_clear_object (&self->session);
      return;
    }

  /* What the other account had in flight stops here; its card is gone. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  g_clear_handle_id (&self->wait_tick_source, g_source_remove);
  if (self->state == STATE_CHALLENGE)
    {
      self->state = STATE_FORM;
      pd_challenge_view_cancel (self->challenge_view);
    }
  g_clear_object (&self->transaction);
  g_clear_pointer (&self->result_note, g_free);
  g_clear_pointer (&self->locked_order_id, g_free);
  lock_order_id (self, NULL);
  g_clear_signal_handler (&self->pacer_handler, self->pacer);
  g_clear_object (&self->pacer);

  g_set_object (&self->session, session);
  account = get_account (self);

  if (session != NULL)
    {
      self->pacer = g_object_ref (pd_account_session_get_pacer (session));
      self->pacer_handler = g_signal_connect_object (self->pacer, "notify::waiting-until",
                                                     G_CALLBACK (pacer_waiting_changed_cb), self,
                                                     G_CONNECT_SWAPPED);
    }

  configure_for_account (self);
  set_state (self, STATE_FORM);
  reset_form (self);
  gtk_stack_set_visible_child_name (self->stack,
                                    account != NULL && pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE &&
                                    pd_account_session_get_pesogate (session) != NULL ? "form" : "none");
  update_actions (self);
}

void
pd_terminal_page_set_card_idle_timeout (PdTerminalPage *self,
                                        guint           seconds)
{
  g_return_if_fail (PD_IS_TERMINAL_PAGE (self));

  self->idle_seconds_override = seconds;
  restart_idle_timeout (self);
}

gboolean
pd_terminal_page_get_busy (PdTerminalPage *self)
{
  g_return_val_if_fail (PD_IS_TERMINAL_PAGE (self), FALSE);

  return self->state == STATE_SENDING || self->state == STATE_CHALLENGE || self->state == STATE_CHECKING;
}
