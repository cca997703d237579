/* pd-terminal-page.h: the New Payment page (virtual terminal) */
#pragma once

#include <gtk/gtk.h>

#include "pd-account-session.h"

G_BEGIN_DECLS

#define PD_TYPE_TERMINAL_PAGE (pd_terminal_page_get_type ())

G_DECLARE_FINAL_TYPE (PdTerminalPage, pd_terminal_page, PD, TERMINAL_PAGE, GtkWidget)

GtkWidget *pd_terminal_page_new                   (void);
/* The open account whose payments the page takes; NULL while none. */
void       pd_terminal_page_set_session           (PdTerminalPage   *self,
                                                   PdAccountSession *session);
/* For tests: clears the card after @seconds without input instead of the
 * card-idle-timeout setting (0: the setting again). */
void       pd_terminal_page_set_card_idle_timeout (PdTerminalPage   *self,
                                                   guint             seconds);
/* TRUE from Charge until the result is shown or the form is back. */
gboolean   pd_terminal_page_get_busy              (PdTerminalPage   *self);

/* Actions: terminal.charge, terminal.reset, terminal.new-payment,
 * terminal.cancel-challenge (Escape). */

G_END_DECLS
