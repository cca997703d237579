/* pd-terminal-page-errors.c: PdTerminalPage's message above the form, and what
 * it says when PesoGate did not take a payment */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-terminal-page-private.h"

/* Messages --------------------------------------------------------------------- */

void
pd_terminal_page_hide_message (PdTerminalPage *self)
{
  gtk_widget_set_visible (self->message_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->message_button), FALSE);
}

/* @button_label and @action_name may be NULL. */
void
pd_terminal_page_show_message (PdTerminalPage *self,
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

/* Gateway errors --------------------------------------------------------------- */

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
            pd_terminal_page_set_field_error (self, field, safe);
          else if (g_str_equal (key, "metadata"))
            pd_metadata_editor_set_error (self->metadata_editor, safe);
        }
      if (field != NULL && first == NULL)
        first = field;
    }
  if (first != NULL && first != GTK_WIDGET (self->order_id_entry))
    gtk_widget_grab_focus (first);
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

void
pd_terminal_page_show_send_error (PdTerminalPage *self,
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

      pd_terminal_page_set_field_error (self, GTK_WIDGET (self->order_id_entry), NULL);
      pd_terminal_page_set_field_error (self, GTK_WIDGET (self->order_id_entry), field);
      title = _("Order ID Already Used");
      g_string_append (message, _("This order ID belongs to a payment Paydesk already knows, so PesoGate refused "
                                  "this one: nothing was charged."));
      gtk_widget_grab_focus (GTK_WIDGET (self->order_id_entry));
    }
  else if (error_is_ambiguous (error))
    {
      pd_terminal_page_lock_order_id (self, order_id);
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
  pd_terminal_page_show_message (self, "dialog-warning-symbolic", "error", title, message->str, button, action);
}
