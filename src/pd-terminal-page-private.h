/* pd-terminal-page-private.h: what the parts of PdTerminalPage share */
#pragma once

#include <adwaita.h>

#include "pd-amount-entry.h"
#include "pd-card-entry.h"
#include "pd-challenge-view.h"
#include "pd-currency-picker.h"
#include "pd-error.h"
#include "pd-metadata-editor.h"
#include "pd-receipt.h"
#include "pd-terminal-page.h"

G_BEGIN_DECLS

typedef enum
{
  STATE_FORM,
  STATE_SENDING,
  STATE_CHALLENGE,
  STATE_CHECKING,
  STATE_RESULT,
} State;

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

/* pd-terminal-page.c */
PdAccount  *pd_terminal_page_get_account         (PdTerminalPage         *self);
char       *pd_terminal_page_new_order_id        (void);
void        pd_terminal_page_wipe_card_fields    (PdTerminalPage         *self);
const char *pd_terminal_page_selected_provider   (PdTerminalPage         *self);
void        pd_terminal_page_lock_order_id       (PdTerminalPage         *self,
                                                  const char             *order_id);
void        pd_terminal_page_reset_form          (PdTerminalPage         *self);
void        pd_terminal_page_set_state           (PdTerminalPage         *self,
                                                  State                   state);
void        pd_terminal_page_show_challenge      (PdTerminalPage         *self,
                                                  const PdPaymentOutcome *outcome);

/* pd-terminal-page-actions.c */
void        pd_terminal_page_new_payment         (PdTerminalPage         *self);
void        pd_terminal_page_class_actions_init  (GtkWidgetClass         *widget_class);

/* pd-terminal-page-errors.c */
void        pd_terminal_page_hide_message        (PdTerminalPage         *self);
void        pd_terminal_page_show_message        (PdTerminalPage         *self,
                                                  const char             *icon_name,
                                                  const char             *style,
                                                  const char             *title,
                                                  const char             *message,
                                                  const char             *button_label,
                                                  const char             *action_name);
void        pd_terminal_page_show_send_error     (PdTerminalPage         *self,
                                                  const GError           *error,
                                                  const char             *order_id,
                                                  PdTransaction          *known);

/* pd-terminal-page-ledger.c */
void        pd_terminal_page_ledger_op_free      (LedgerOp               *op);
void        pd_terminal_page_ledger_record       (PdTerminalPage         *self,
                                                  PdTransaction          *transaction,
                                                  const char             *note);
void        pd_terminal_page_ledger_event        (PdTerminalPage         *self,
                                                  PdLedgerEventKind       kind,
                                                  const char             *note);

/* pd-terminal-page-status.c */
void        pd_terminal_page_check_status        (PdTerminalPage         *self);

/* pd-terminal-page-validation.c */
void        pd_terminal_page_set_field_error     (PdTerminalPage         *self,
                                                  GtkWidget              *field,
                                                  const char             *message);
void        pd_terminal_page_clear_field_errors  (PdTerminalPage         *self);
gboolean    pd_terminal_page_read_form           (PdTerminalPage         *self,
                                                  PdPaymentRequest      **request_out);

G_END_DECLS
