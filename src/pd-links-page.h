/* pd-links-page.h: the Payment Links page */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_LINKS_PAGE (pd_links_page_get_type ())

G_DECLARE_FINAL_TYPE (PdLinksPage, pd_links_page, PD, LINKS_PAGE, GtkWidget)

GtkWidget *pd_links_page_new (void);

G_END_DECLS
