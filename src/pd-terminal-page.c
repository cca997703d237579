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

#include "pd-application.h"
#include "pd-terminal-page-private.h"

#define DEFAULT_IDLE_SECONDS  120

G_DEFINE_FINAL_TYPE (PdTerminalPage, pd_terminal_page, GTK_TYPE_WIDGET)

static void update_actions        (PdTerminalPage *self);
static void update_progress       (PdTerminalPage *self);

/* Small helpers ---------------------------------------------------------------- */

PdAccount *
pd_terminal_page_get_account (PdTerminalPage *self)
{
  return self->session != NULL ? pd_account_session_get_account (self->session) : NULL;
}

char *
pd_terminal_page_new_order_id (void)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (today, "%Y%m%d");
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *random = g_ascii_strup (uuid + 24, 12);

  /* The same shape as the client's own: 48 random bits a day. */
  return g_strdup_printf ("PD-%s-%s", date, random);
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
void
pd_terminal_page_wipe_card_fields (PdTerminalPage *self)
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

  pd_terminal_page_wipe_card_fields (self);
  if (idle_seconds (self) < 60)
    message = g_strdup (_("The card details were cleared because nothing was typed for a while."));
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The card details were cleared after %u minute without input.",
                                            "The card details were cleared after %u minutes without input.",
                                            minutes),
                               minutes);
  pd_terminal_page_show_message (self, "dialog-information-symbolic", "accent", _("Card Details Cleared"), message,
                                 NULL, NULL);
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

const char *
pd_terminal_page_selected_provider (PdTerminalPage *self)
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

void
pd_terminal_page_lock_order_id (PdTerminalPage *self,
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

void
pd_terminal_page_reset_form (PdTerminalPage *self)
{
  PdAccount *account = pd_terminal_page_get_account (self);
  const char * const *currencies = account != NULL ? pd_account_get_currencies (account) : NULL;
  g_autofree char *order_id = NULL;

  pd_terminal_page_wipe_card_fields (self);
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
      order_id = pd_terminal_page_new_order_id ();
      gtk_editable_set_text (GTK_EDITABLE (self->order_id_entry), order_id);
    }

  pd_terminal_page_clear_field_errors (self);
  pd_terminal_page_hide_message (self);
  update_charge_label (self);
}

static void
configure_for_account (PdTerminalPage *self)
{
  PdAccount *account = pd_terminal_page_get_account (self);
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

void
pd_terminal_page_set_state (PdTerminalPage *self,
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

  pd_terminal_page_ledger_event (self, PD_LEDGER_EVENT_CHALLENGE_ENDED, note);
  pd_terminal_page_set_state (self, STATE_CHECKING);
  pd_terminal_page_check_status (self);
}

void
pd_terminal_page_show_challenge (PdTerminalPage         *self,
                                 const PdPaymentOutcome *outcome)
{
  PdAccount *account = pd_terminal_page_get_account (self);
  g_autofree char *amount = dup_amount_text (self->transaction);
  g_autofree char *card = dup_masked_card (self->transaction);

  pd_terminal_page_set_state (self, STATE_CHALLENGE);
  pd_challenge_view_start (self->challenge_view, outcome, self->return_url, self->cancel_url,
                           amount, card, pd_account_get_display_name (account));
  pd_terminal_page_ledger_event (self, PD_LEDGER_EVENT_CHALLENGE_SHOWN,
                                 pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_REDIRECT
                                 ? _("3-D Secure page shown in Paydesk (redirect)")
                                 : _("3-D Secure page shown in Paydesk"));
}

static void
receipt_new_payment_cb (PdTerminalPage *self)
{
  pd_terminal_page_new_payment (self);
}

/* Typing ------------------------------------------------------------------------ */

static void
field_changed_cb (PdTerminalPage *self,
                  GtkEditable    *editable)
{
  GtkWidget *field = GTK_WIDGET (editable);

  /* What the merchant changes is judged again on the next Charge. */
  if (gtk_widget_has_css_class (field, "error"))
    pd_terminal_page_set_field_error (self, field, NULL);
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
  pd_terminal_page_set_field_error (self, GTK_WIDGET (self->amount_entry), NULL);
  update_charge_label (self);
}

static void
provider_toggled_cb (PdTerminalPage *self)
{
  if (pd_terminal_page_selected_provider (self) != NULL)
    pd_terminal_page_set_field_error (self, self->provider_entry, NULL);
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

  g_queue_clear_full (&self->ledger_ops, (GDestroyNotify) pd_terminal_page_ledger_op_free);
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

  pd_terminal_page_class_actions_init (widget_class);

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
  pd_terminal_page_lock_order_id (self, NULL);
  g_clear_signal_handler (&self->pacer_handler, self->pacer);
  g_clear_object (&self->pacer);

  g_set_object (&self->session, session);
  account = pd_terminal_page_get_account (self);

  if (session != NULL)
    {
      self->pacer = g_object_ref (pd_account_session_get_pacer (session));
      self->pacer_handler = g_signal_connect_object (self->pacer, "notify::waiting-until",
                                                     G_CALLBACK (pacer_waiting_changed_cb), self,
                                                     G_CONNECT_SWAPPED);
    }

  configure_for_account (self);
  pd_terminal_page_set_state (self, STATE_FORM);
  pd_terminal_page_reset_form (self);
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
