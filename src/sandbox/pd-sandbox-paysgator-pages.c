#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include "pd-sandbox-paysgator-private.h"

/* The checkout pages */

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *body_html)
{
  g_autofree char *html = pd_sandbox_html_page (title, body_html);

  pd_sandbox_reply_html (msg, status, html);
}

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = pd_sandbox_html_escape (text);

  g_string_append (html, escaped);
}

static void
append_paragraph (GString    *html,
                  const char *css_class,
                  const char *text)
{
  g_string_append_printf (html, "<p class=\"%s\">", css_class);
  append_escaped (html, text);
  g_string_append (html, "</p>\n");
}

static const char *
form_value (GHashTable *form,
            const char *name)
{
  const char *value = form != NULL ? g_hash_table_lookup (form, name) : NULL;

  return value != NULL ? value : "";
}

/* The payment method part of both checkout forms; Enter in the phone number
 * submits the first button, M-Pesa. */
static void
append_method_choice (GString    *html,
                      guint       methods,
                      GHashTable *form)
{
  if (methods & METHOD_MPESA)
    {
      g_string_append (html,
                       "<fieldset>\n<legend>M-Pesa</legend>\n"
                       "<label for=\"phoneNumber\">M-Pesa number</label>\n"
                       "<input id=\"phoneNumber\" name=\"phoneNumber\" type=\"tel\" "
                       "autocomplete=\"tel\" placeholder=\"84 123 4567\" value=\"");
      append_escaped (html, form_value (form, "phoneNumber"));
      g_string_append (html,
                       "\">\n<button class=\"primary\" type=\"submit\" name=\"paymentMethod\" value=\"MPESA\">"
                       "Pay with M-Pesa</button>\n</fieldset>\n");
    }
  if (methods & METHOD_CARD)
    g_string_append (html,
                     "<fieldset>\n<legend>Card</legend>\n"
                     "<p class=\"note\">Sandbox card payments always succeed.</p>\n"
                     "<button class=\"primary\" type=\"submit\" name=\"paymentMethod\" value=\"CARD\">"
                     "Pay by card</button>\n</fieldset>\n");
}

static GHashTable *
read_form (SoupServerMessage  *msg,
           GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  if (body->length > PD_SANDBOX_MAX_BODY)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_BODY_TOO_LARGE,
                   "The form is larger than %d bytes", PD_SANDBOX_MAX_BODY);
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &length);
  text = g_strndup (data != NULL ? data : "", length);
  return soup_form_decode (text);
}

static void
reply_page_error (SoupServerMessage *msg,
                  const char        *title,
                  const GError      *error)
{
  g_autoptr(GString) html = g_string_new (NULL);

  append_paragraph (html, "error", error->message);
  reply_page (msg, pays_errors[error->code].status, title, html->str);
}

/* Where the customer goes after paying: @return_url with transactionId added
 * to its query. */
static char *
return_url_with (const char *return_url,
                 const char *transaction_id)
{
  g_autoptr(GUri) uri = g_uri_parse (return_url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) result = NULL;
  g_autofree char *query = NULL;
  const char *old_query;

  g_return_val_if_fail (uri != NULL, NULL);

  old_query = g_uri_get_query (uri);
  if (old_query != NULL && old_query[0] != '\0')
    query = g_strconcat (old_query, "&transactionId=", transaction_id, NULL);
  else
    query = g_strconcat ("transactionId=", transaction_id, NULL);

  result = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query, g_uri_get_fragment (uri));
  return g_uri_to_string (result);
}

static void
show_link_form (SoupServerMessage *msg,
                guint              status,
                PaymentLink       *link,
                const char        *notice,
                GHashTable        *form)
{
  Transaction *txn = link->transaction;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = pd_sandbox_paysgator_format_amount (txn->amount, txn->currency);
  g_autofree char *mode = g_strdup_printf ("%s mode", pd_sandbox_paysgator_mode_name (link->live));

  append_paragraph (html, "amount", amount);
  if (link->external_id != NULL)
    {
      g_autofree char *reference = g_strdup_printf ("Reference %s", link->external_id);

      append_paragraph (html, "note", reference);
    }
  append_paragraph (html, "note", mode);
  if (notice != NULL)
    append_paragraph (html, "error", notice);

  g_string_append (html, "<form method=\"post\" action=\"" PD_SANDBOX_PAYSGATOR_PREFIX "/checkout/");
  append_escaped (html, link->id);
  g_string_append (html, "\">\n");

  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    {
      const char *name = customer_fields[i];

      if ((link->fields & (1u << i)) == 0)
        continue;
      g_string_append_printf (html,
                              "<label for=\"%s\">Your %s</label>\n"
                              "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required value=\"",
                              name, name, name, name,
                              g_str_equal (name, "email") ? "email" : g_str_equal (name, "phone") ? "tel" : "text",
                              g_str_equal (name, "phone") ? "tel" : g_str_equal (name, "address") ? "street-address" : name);
      append_escaped (html, form_value (form, name));
      g_string_append (html, "\">\n");
    }

  append_method_choice (html, link->methods, form);
  g_string_append (html, "</form>\n");
  reply_page (msg, status, "Pay", html->str);
}

static void
show_link_result (SoupServerMessage *msg,
                  guint              status,
                  PaymentLink       *link,
                  const char        *notice)
{
  Transaction *txn = link->transaction;
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = pd_sandbox_paysgator_format_amount (txn->amount, txn->currency);
  g_autofree char *id_line = g_strdup_printf ("Transaction %s", txn->id);
  const char *title;

  switch (txn->status)
    {
    case TXN_SUCCESS:
      title = "Payment successful";
      break;
    case TXN_FAILED:
      title = "Payment failed";
      break;
    case TXN_REFUNDED:
      title = "Payment refunded";
      break;
    case TXN_PENDING:
    default:
      title = "Payment pending";
      break;
    }

  append_paragraph (html, "amount", amount);
  if (notice != NULL)
    append_paragraph (html, "error", notice);
  append_paragraph (html, "status", title);
  append_paragraph (html, "transaction", id_line);
  reply_page (msg, status, title, html->str);
}

static void
post_link_checkout (PdSandboxPaysgator *self,
                    SoupServerMessage  *msg,
                    PaymentLink        *link)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  Method method;

  if (link->transaction->status != TXN_PENDING)
    {
      show_link_result (msg, SOUP_STATUS_BAD_REQUEST, link, "This payment link is no longer payable.");
      return;
    }

  form = read_form (msg, &error);
  if (form == NULL)
    {
      reply_page_error (msg, "Pay", error);
      return;
    }

  method = pd_sandbox_paysgator_method_from_name (form_value (form, "paymentMethod"));
  if (method == METHOD_NONE)
    {
      show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, "Choose how to pay.", form);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (customer_fields); i++)
    if ((link->fields & (1u << i)) != 0 && form_value (form, customer_fields[i])[0] == '\0')
      {
        g_autofree char *notice = g_strdup_printf ("Your %s is required.", customer_fields[i]);

        show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, notice, form);
        return;
      }
  if (form_value (form, "email")[0] != '\0' && !pd_sandbox_paysgator_email_valid (form_value (form, "email")))
    {
      show_link_form (msg, SOUP_STATUS_BAD_REQUEST, link, "Your email is not a valid address.", form);
      return;
    }

  if (!pd_sandbox_paysgator_confirm_link (self, link, method, form_value (form, "phoneNumber"), &error)
      && !g_error_matches (error, PAYS_ERROR, PAYS_ERROR_PAYMENT_FAILED))
    {
      show_link_form (msg, pays_errors[error->code].status, link, error->message, form);
      return;
    }

  /* Paid or declined, the merchant's site learns which from the API. */
  if (link->return_url != NULL)
    {
      g_autofree char *location = return_url_with (link->return_url, link->transaction->id);

      pd_sandbox_reply_redirect (msg, location);
      return;
    }

  show_link_result (msg, error != NULL ? pays_errors[error->code].status : SOUP_STATUS_OK,
                    link, error != NULL ? error->message : NULL);
}

void
pd_sandbox_paysgator_handle_link_checkout (PdSandboxPaysgator *self,
                                           SoupServerMessage  *msg,
                                           const char         *link_id)
{
  const char *method = soup_server_message_get_method (msg);
  PaymentLink *link = g_hash_table_lookup (self->links, link_id);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      reply_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed",
                  "<p class=\"error\">This page accepts GET and POST only.</p>");
      return;
    }
  if (link == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Payment link not found",
                  "<p class=\"error\">This payment link does not exist.</p>");
      return;
    }

  if (g_str_equal (method, "POST"))
    post_link_checkout (self, msg, link);
  else if (link->transaction->status == TXN_PENDING)
    show_link_form (msg, SOUP_STATUS_OK, link, NULL, NULL);
  else
    show_link_result (msg, SOUP_STATUS_OK, link, NULL);
}

static void
show_subscription_page (PdSandboxPaysgator *self,
                        SoupServerMessage  *msg,
                        guint               status,
                        Subscription       *sub,
                        const char         *notice,
                        GHashTable         *form)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *amount = pd_sandbox_paysgator_format_amount (sub->plan->amount, pd_sandbox_paysgator_wallet_currency ());
  g_autofree char *price = g_strdup_printf ("%s, %s per %s", sub->plan->name, amount,
                                            sub->plan->yearly ? "year" : "month");
  g_autofree char *customer = g_strdup_printf ("For %s%s%s%s", sub->customer_name ? sub->customer_name : "",
                                               sub->customer_name ? " <" : "", sub->customer_email,
                                               sub->customer_name ? ">" : "");
  g_autofree char *state = NULL;

  if (sub->period_end != 0)
    {
      g_autofree char *end = pd_sandbox_format_time (sub->period_end);

      state = g_strdup_printf ("Subscription %s, current period ends %s", sub_status_names[sub->status], end);
    }
  else
    state = g_strdup_printf ("Subscription %s, not paid yet", sub_status_names[sub->status]);

  append_paragraph (html, "amount", price);
  append_paragraph (html, "customer", customer);
  append_paragraph (html, "status", state);
  if (notice != NULL)
    append_paragraph (html, "error", notice);

  if (pd_sandbox_paysgator_subscription_payable (sub))
    {
      g_string_append (html, "<form method=\"post\" action=\"" PD_SANDBOX_PAYSGATOR_PREFIX "/subscription/");
      append_escaped (html, sub->id);
      g_string_append (html, "/checkout\">\n");
      append_method_choice (html, ALL_METHODS, form);
      g_string_append (html, "</form>\n");
    }

  reply_page (msg, status, "Subscribe", html->str);
}

static void
post_subscription_checkout (PdSandboxPaysgator *self,
                            SoupServerMessage  *msg,
                            Subscription       *sub)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  gboolean declined;
  Method method;

  if (!pd_sandbox_paysgator_subscription_payable (sub))
    {
      show_subscription_page (self, msg, SOUP_STATUS_BAD_REQUEST, sub,
                              "There is nothing to pay on this subscription.", NULL);
      return;
    }

  form = read_form (msg, &error);
  if (form == NULL)
    {
      reply_page_error (msg, "Subscribe", error);
      return;
    }

  method = pd_sandbox_paysgator_method_from_name (form_value (form, "paymentMethod"));
  if (method == METHOD_NONE)
    {
      show_subscription_page (self, msg, SOUP_STATUS_BAD_REQUEST, sub, "Choose how to pay.", form);
      return;
    }
  if (!pd_sandbox_paysgator_check_payer (method, form_value (form, "phoneNumber"), &declined, &error))
    {
      show_subscription_page (self, msg, pays_errors[error->code].status, sub, error->message, form);
      return;
    }

  pd_sandbox_paysgator_subscription_pay (self, sub, method, !declined, pd_sandbox_paysgator_sandbox_now (self));
  if (declined)
    show_subscription_page (self, msg, SOUP_STATUS_PAYMENT_REQUIRED, sub,
                            "M-Pesa declined the payment (sandbox numbers ending in 0000 always fail).", form);
  else
    show_subscription_page (self, msg, SOUP_STATUS_OK, sub, NULL, NULL);
}

void
pd_sandbox_paysgator_handle_subscription_checkout (PdSandboxPaysgator *self,
                                                   SoupServerMessage  *msg,
                                                   const char         *sub_id)
{
  const char *method = soup_server_message_get_method (msg);
  Subscription *sub = g_hash_table_lookup (self->subscriptions, sub_id);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      reply_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed",
                  "<p class=\"error\">This page accepts GET and POST only.</p>");
      return;
    }
  if (sub == NULL)
    {
      reply_page (msg, SOUP_STATUS_NOT_FOUND, "Subscription not found",
                  "<p class=\"error\">This subscription does not exist.</p>");
      return;
    }

  pd_sandbox_paysgator_subscription_refresh (self, sub);
  if (g_str_equal (method, "POST"))
    post_subscription_checkout (self, msg, sub);
  else
    show_subscription_page (self, msg, SOUP_STATUS_OK, sub, NULL, NULL);
}
