/* pd-transaction-details.c: everything the ledger knows of one transaction
 *
 * The amount and status at the top, every field the ledger keeps (brand and
 * last four only, never a card number), the status timeline and the
 * refunds. "Check Status" asks the gateway now, at a person's priority, and
 * the answer is recorded like any other; the view follows the session's
 * "transaction-changed", so a background refresh shows here too.
 */
#define G_LOG_DOMAIN "pd-transaction-details"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "pd-error.h"
#include "pd-transaction-details.h"
#include "pd-transaction-row.h"

#define SOURCE_STATUS_CHECK "status check"

struct _PdTransactionDetails
{
  GtkWidget         parent_instance;

  /* Bound so that disposing the template unparents it. */
  GtkWidget        *content;

  GtkWidget        *back_button;
  GtkSpinner       *spinner;
  GtkLabel         *amount_label;
  GtkLabel         *status_label;
  GtkLabel         *title_label;
  GtkLabel         *error_label;
  GtkListBox       *timeline_list;
  GtkListBox       *refunds_list;

  GtkWidget        *gateway_status_row;
  GtkLabel         *gateway_status_value;
  GtkWidget        *amount_row;
  GtkLabel         *amount_value;
  GtkWidget        *refunded_row;
  GtkLabel         *refunded_value;
  GtkWidget        *reference_row;
  GtkLabel         *reference_value;
  GtkWidget        *order_id_row;
  GtkLabel         *order_id_value;
  GtkWidget        *customer_name_row;
  GtkLabel         *customer_name_value;
  GtkWidget        *customer_email_row;
  GtkLabel         *customer_email_value;
  GtkWidget        *customer_phone_row;
  GtkLabel         *customer_phone_value;
  GtkWidget        *card_row;
  GtkLabel         *card_value;
  GtkWidget        *method_row;
  GtkLabel         *method_value;
  GtkWidget        *provider_row;
  GtkLabel         *provider_value;
  GtkWidget        *mode_row;
  GtkLabel         *mode_value;
  GtkWidget        *created_row;
  GtkLabel         *created_value;
  GtkWidget        *completed_row;
  GtkLabel         *completed_value;
  GtkWidget        *updated_row;
  GtkLabel         *updated_value;
  GtkWidget        *metadata_row;
  GtkLabel         *metadata_value;

  PdAccountSession *session;
  gulong            changed_id;
  PdTransaction    *transaction;
  GListModel       *events;
  GListModel       *refunds;
  GCancellable     *load_cancellable;
  GCancellable     *check_cancellable;
};

G_DEFINE_FINAL_TYPE (PdTransactionDetails, pd_transaction_details, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TRANSACTION,
  PROP_EVENTS,
  PROP_REFUNDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sources Paydesk itself writes into the timeline, in the user's words. */
static const struct {
  const char *source;
  const char *label;
} known_sources[] = {
  { "background refresh", N_("Background refresh") },
  { "status check", N_("Status check") },
  { "lookup", N_("Looked up") },
  { "sandbox demo import", N_("Sandbox demo data") },
  { "virtual terminal", N_("Virtual terminal") },
};

static const char *
source_label (const char *source)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_sources); i++)
    if (g_strcmp0 (source, known_sources[i].source) == 0)
      return _(known_sources[i].label);
  return source;
}

/* " · " between the parts that are there. */
static char *
join_parts (const char * const *parts,
            guint               n_parts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_parts; i++)
    {
      if (parts[i] == NULL || *parts[i] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, parts[i]);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
create_event_row (gpointer item,
                  gpointer user_data)
{
  PdLedgerEvent *event = item;
  g_autofree char *when = pd_transaction_format_time (pd_ledger_event_get_at (event));
  g_autofree char *subtitle = NULL;
  const char *parts[3];
  GtkWidget *row = adw_action_row_new ();

  parts[0] = pd_ledger_event_kind_get_label (pd_ledger_event_get_kind (event));
  parts[1] = when;
  parts[2] = source_label (pd_ledger_event_get_note (event));
  subtitle = join_parts (parts, G_N_ELEMENTS (parts));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pd_status_get_label (pd_ledger_event_get_status (event)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
create_refund_row (gpointer item,
                   gpointer user_data)
{
  PdTransactionDetails *self = user_data;
  PdRefund *refund = item;
  g_autofree char *amount = NULL;
  g_autofree char *when = pd_transaction_format_time (pd_refund_get_requested_at (refund));
  g_autofree char *subtitle = NULL;
  const char *parts[4];
  GtkWidget *row = adw_action_row_new ();

  /* The gateway does not say how much a full refund was. */
  if (pd_refund_get_amount (refund) > 0)
    amount = pd_transaction_format_amount (self->transaction, pd_refund_get_amount (refund));
  else
    amount = g_strdup (_("Full refund"));

  parts[0] = pd_refund_outcome_get_label (pd_refund_get_outcome (refund));
  parts[1] = when;
  parts[2] = pd_refund_get_message (refund);
  parts[3] = pd_refund_get_note (refund);
  subtitle = join_parts (parts, G_N_ELEMENTS (parts));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), amount);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
set_field (GtkWidget  *row,
           GtkLabel   *value,
           const char *text)
{
  gtk_label_set_label (value, text != NULL ? text : "");
  gtk_widget_set_visible (row, text != NULL && *text != '\0');
}

static void
update_fields (PdTransactionDetails *self)
{
  PdTransaction *t = self->transaction;
  g_autofree char *amount = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *card = NULL;
  g_autofree char *created = NULL;
  g_autofree char *completed = NULL;
  g_autofree char *updated = NULL;

  if (t == NULL)
    return;

  amount = pd_transaction_format_amount (t, pd_transaction_get_amount (t));
  if (pd_transaction_get_refunded_amount (t) > 0)
    refunded = pd_transaction_format_amount (t, pd_transaction_get_refunded_amount (t));
  if (pd_transaction_get_card_last_four (t) != NULL)
    card = pd_transaction_format_card (t);
  created = pd_transaction_format_time (pd_transaction_get_created_at (t));
  completed = pd_transaction_format_time (pd_transaction_get_completed_at (t));
  updated = pd_transaction_format_time (pd_transaction_get_updated_at (t));

  gtk_label_set_label (self->amount_label, amount);
  pd_transaction_style_status (self->status_label, pd_transaction_get_status (t));
  gtk_label_set_label (self->title_label, pd_transaction_get_title (t));

  set_field (self->gateway_status_row, self->gateway_status_value, pd_transaction_get_gateway_status (t));
  set_field (self->amount_row, self->amount_value, amount);
  set_field (self->refunded_row, self->refunded_value, refunded);
  set_field (self->reference_row, self->reference_value, pd_transaction_get_reference (t));
  set_field (self->order_id_row, self->order_id_value, pd_transaction_get_order_id (t));
  set_field (self->customer_name_row, self->customer_name_value, pd_transaction_get_customer_name (t));
  set_field (self->customer_email_row, self->customer_email_value, pd_transaction_get_customer_email (t));
  set_field (self->customer_phone_row, self->customer_phone_value, pd_transaction_get_customer_phone (t));
  set_field (self->card_row, self->card_value, card);
  set_field (self->method_row, self->method_value, pd_transaction_get_payment_method (t));
  set_field (self->provider_row, self->provider_value, pd_transaction_get_provider (t));
  set_field (self->mode_row, self->mode_value, pd_mode_get_label (pd_transaction_get_mode (t)));
  set_field (self->created_row, self->created_value, created);
  set_field (self->completed_row, self->completed_value, completed);
  set_field (self->updated_row, self->updated_value, updated);
  set_field (self->metadata_row, self->metadata_value, pd_transaction_get_metadata (t));
}

static void
update_actions (PdTransactionDetails *self)
{
  gboolean checking = self->check_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.check-status",
                                 self->session != NULL && self->transaction != NULL && !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-reference", self->transaction != NULL);
  gtk_spinner_set_spinning (self->spinner, checking);
}

/* The timeline and refunds -------------------------------------------------------- */

static void
events_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PdTransactionDetails *self = user_data;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GError) error = NULL;

  events = pd_ledger_list_events_finish (PD_LEDGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (events == NULL)
    {
      g_debug ("The timeline could not be read: %s", error->message);
      return;
    }
  g_set_object (&self->events, events);
  gtk_list_box_bind_model (self->timeline_list, events, create_event_row, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
}

static void
refunds_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PdTransactionDetails *self = user_data;
  g_autoptr(GListModel) refunds = NULL;
  g_autoptr(GError) error = NULL;

  refunds = pd_ledger_list_refunds_finish (PD_LEDGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (refunds == NULL)
    {
      g_debug ("The refunds could not be read: %s", error->message);
      return;
    }
  g_set_object (&self->refunds, refunds);
  gtk_list_box_bind_model (self->refunds_list, refunds, create_refund_row, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUNDS]);
}

static void
load_history (PdTransactionDetails *self)
{
  PdLedger *ledger = self->session != NULL ? pd_account_session_get_ledger (self->session) : NULL;
  const char *account_id;
  const char *reference;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (ledger == NULL || self->transaction == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  account_id = pd_transaction_get_account_id (self->transaction);
  reference = pd_transaction_get_reference (self->transaction);
  pd_ledger_list_events_async (ledger, account_id, reference, self->load_cancellable, events_listed_cb, self);
  pd_ledger_list_refunds_async (ledger, account_id, reference, self->load_cancellable, refunds_listed_cb, self);
}

static void
clear_history (PdTransactionDetails *self)
{
  gtk_list_box_bind_model (self->timeline_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->refunds_list, NULL, NULL, NULL, NULL);
  if (self->events != NULL)
    {
      g_clear_object (&self->events);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
    }
  if (self->refunds != NULL)
    {
      g_clear_object (&self->refunds);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUNDS]);
    }
}

static gboolean
is_shown (PdTransactionDetails *self,
          PdTransaction        *transaction)
{
  return self->transaction != NULL &&
         g_strcmp0 (pd_transaction_get_account_id (self->transaction), pd_transaction_get_account_id (transaction)) == 0 &&
         g_strcmp0 (pd_transaction_get_reference (self->transaction), pd_transaction_get_reference (transaction)) == 0;
}

/* The same row, newer: the fields and the timeline follow. */
static void
transaction_changed_cb (PdTransactionDetails *self,
                        PdTransaction        *transaction)
{
  if (!is_shown (self, transaction))
    return;
  g_set_object (&self->transaction, transaction);
  update_fields (self);
  load_history (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION]);
}

/* Actions ---------------------------------------------------------------------------- */

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PdTransactionDetails *self = user_data;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  transaction = pd_account_session_look_up_finish (PD_ACCOUNT_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->check_cancellable);
  update_actions (self);
  if (transaction == NULL)
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), pd_gateway_error_get_detail (error));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  /* A ledger-less session records nothing, so no signal brings the answer. */
  if (is_shown (self, transaction))
    {
      g_set_object (&self->transaction, transaction);
      update_fields (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION]);
    }
}

static void
check_status_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (widget);

  if (self->session == NULL || self->transaction == NULL || self->check_cancellable != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->check_cancellable = g_cancellable_new ();
  update_actions (self);
  pd_account_session_look_up_async (self->session, pd_transaction_get_reference (self->transaction),
                                    PD_HTTP_FLAGS_NONE, SOURCE_STATUS_CHECK, self->check_cancellable,
                                    checked_cb, self);
}

static void
copy_reference_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (widget);

  if (self->transaction != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), pd_transaction_get_reference (self->transaction));
}

/* GtkWidget ---------------------------------------------------------------------------- */

/* Keyboard users arrive on the way back, with Check Status next. */
static gboolean
pd_transaction_details_grab_focus (GtkWidget *widget)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (widget);

  return gtk_widget_grab_focus (self->back_button);
}

/* GObject ----------------------------------------------------------------------------- */

static void
cancel_all (PdTransactionDetails *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
}

static void
pd_transaction_details_dispose (GObject *object)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (object);

  cancel_all (self);
  if (self->session != NULL)
    g_clear_signal_handler (&self->changed_id, self->session);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_TRANSACTION_DETAILS);
  g_clear_object (&self->transaction);
  g_clear_object (&self->events);
  g_clear_object (&self->refunds);

  G_OBJECT_CLASS (pd_transaction_details_parent_class)->dispose (object);
}

static void
pd_transaction_details_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TRANSACTION:
      g_value_set_object (value, self->transaction);
      break;
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    case PROP_REFUNDS:
      g_value_set_object (value, self->refunds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transaction_details_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PdTransactionDetails *self = PD_TRANSACTION_DETAILS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pd_transaction_details_set_session (self, g_value_get_object (value));
      break;
    case PROP_TRANSACTION:
      pd_transaction_details_set_transaction (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND_FIELD(name) \
  G_STMT_START { \
    gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, name##_row); \
    gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, name##_value); \
  } G_STMT_END

static void
pd_transaction_details_class_init (PdTransactionDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_transaction_details_dispose;
  object_class->get_property = pd_transaction_details_get_property;
  object_class->set_property = pd_transaction_details_set_property;

  widget_class->grab_focus = pd_transaction_details_grab_focus;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         PD_TYPE_ACCOUNT_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TRANSACTION] =
    g_param_spec_object ("transaction", NULL, NULL,
                         PD_TYPE_TRANSACTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_EVENTS] =
    g_param_spec_object ("events", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REFUNDS] =
    g_param_spec_object ("refunds", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-transaction-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, content);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, back_button);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, spinner);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionDetails, refunds_list);
  BIND_FIELD (gateway_status);
  BIND_FIELD (amount);
  BIND_FIELD (refunded);
  BIND_FIELD (reference);
  BIND_FIELD (order_id);
  BIND_FIELD (customer_name);
  BIND_FIELD (customer_email);
  BIND_FIELD (customer_phone);
  BIND_FIELD (card);
  BIND_FIELD (method);
  BIND_FIELD (provider);
  BIND_FIELD (mode);
  BIND_FIELD (created);
  BIND_FIELD (completed);
  BIND_FIELD (updated);
  BIND_FIELD (metadata);

  gtk_widget_class_install_action (widget_class, "details.check-status", NULL, check_status_action);
  gtk_widget_class_install_action (widget_class, "details.copy-reference", NULL, copy_reference_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_transaction_details_init (PdTransactionDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
pd_transaction_details_new (void)
{
  return g_object_new (PD_TYPE_TRANSACTION_DETAILS, NULL);
}

/**
 * pd_transaction_details_get_session:
 * @self: a details view
 *
 * Returns: (transfer none) (nullable): the session the transaction belongs to
 */
PdAccountSession *
pd_transaction_details_get_session (PdTransactionDetails *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION_DETAILS (self), NULL);

  return self->session;
}

void
pd_transaction_details_set_session (PdTransactionDetails *self,
                                    PdAccountSession     *session)
{
  g_return_if_fail (PD_IS_TRANSACTION_DETAILS (self));
  g_return_if_fail (session == NULL || PD_IS_ACCOUNT_SESSION (session));

  if (self->session == session)
    return;

  cancel_all (self);
  if (self->session != NULL)
    g_clear_signal_handler (&self->changed_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->changed_id = g_signal_connect_object (session, "transaction-changed",
                                                G_CALLBACK (transaction_changed_cb), self,
                                                G_CONNECT_SWAPPED);
  /* Another account's transaction has nothing to show here. */
  pd_transaction_details_set_transaction (self, NULL);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * pd_transaction_details_get_transaction:
 * @self: a details view
 *
 * Returns: (transfer none) (nullable): the transaction shown
 */
PdTransaction *
pd_transaction_details_get_transaction (PdTransactionDetails *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION_DETAILS (self), NULL);

  return self->transaction;
}

void
pd_transaction_details_set_transaction (PdTransactionDetails *self,
                                        PdTransaction        *transaction)
{
  g_return_if_fail (PD_IS_TRANSACTION_DETAILS (self));
  g_return_if_fail (transaction == NULL || PD_IS_TRANSACTION (transaction));

  if (self->transaction == transaction)
    return;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_set_object (&self->transaction, transaction);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  clear_history (self);
  update_fields (self);
  load_history (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION]);
}

/**
 * pd_transaction_details_get_events:
 * @self: a details view
 *
 * Returns: (transfer none) (nullable): the timeline shown, oldest first
 */
GListModel *
pd_transaction_details_get_events (PdTransactionDetails *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION_DETAILS (self), NULL);

  return self->events;
}

/**
 * pd_transaction_details_get_refunds:
 * @self: a details view
 *
 * Returns: (transfer none) (nullable): the refunds shown
 */
GListModel *
pd_transaction_details_get_refunds (PdTransactionDetails *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION_DETAILS (self), NULL);

  return self->refunds;
}
