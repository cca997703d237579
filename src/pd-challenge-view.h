/* pd-challenge-view.h: the bank's 3-D Secure challenge, in an isolated WebKitGTK view */
#pragma once

#include <adwaita.h>

#include "pd-payment-outcome.h"

G_BEGIN_DECLS

/**
 * PdChallengeEnd:
 * @PD_CHALLENGE_END_RETURN_URL: the page went to the transaction's return_url
 * @PD_CHALLENGE_END_CANCEL_URL: the page went to the transaction's cancel_url
 * @PD_CHALLENGE_END_CANCELLED: the merchant pressed Cancel or Escape
 * @PD_CHALLENGE_END_TIMED_OUT: nobody finished the challenge in time (10 min)
 * @PD_CHALLENGE_END_LOAD_FAILED: the page could not be loaded (network, TLS)
 *
 * How the challenge ended. It only says when to ask: the status from the API
 * is the truth, never the URL, so every end is followed by a status check.
 */
typedef enum
{
  PD_CHALLENGE_END_RETURN_URL,
  PD_CHALLENGE_END_CANCEL_URL,
  PD_CHALLENGE_END_CANCELLED,
  PD_CHALLENGE_END_TIMED_OUT,
  PD_CHALLENGE_END_LOAD_FAILED,
} PdChallengeEnd;

#define PD_TYPE_CHALLENGE_END (pd_challenge_end_get_type ())

GType pd_challenge_end_get_type (void) G_GNUC_CONST;

#define PD_CHALLENGE_TIMEOUT_SECONDS (10 * 60)

#define PD_TYPE_CHALLENGE_VIEW (pd_challenge_view_get_type ())

G_DECLARE_FINAL_TYPE (PdChallengeView, pd_challenge_view, PD, CHALLENGE_VIEW, GtkWidget)

PdChallengeView *pd_challenge_view_new             (void);

/* Shows the challenge of @outcome (REDIRECT: loads its redirect_url;
 * RENDER_HTML: loads its html_content with its base URI) under a header
 * with @amount_text, @card_text (masked) and @merchant_text. Any navigation,
 * in the top frame or any iframe, to a URL starting with @return_url or
 * @cancel_url is never loaded: it ends the challenge ("finished" signal).
 * Keyboard focus moves into the page. */
void             pd_challenge_view_start           (PdChallengeView        *self,
                                                    const PdPaymentOutcome *outcome,
                                                    const char             *return_url,
                                                    const char             *cancel_url,
                                                    const char             *amount_text,
                                                    const char             *card_text,
                                                    const char             *merchant_text);
/* Ends the challenge as PD_CHALLENGE_END_CANCELLED (the Cancel button and
 * Escape do the same). */
void             pd_challenge_view_cancel          (PdChallengeView        *self);
gboolean         pd_challenge_view_get_active      (PdChallengeView        *self);
/* For tests: the WebKitWebView (as a GtkWidget), to drive the ACS page
 * with webkit_web_view_evaluate_javascript(). NULL when no challenge is
 * shown: each challenge has its own view, dropped when it ends. */
GtkWidget       *pd_challenge_view_get_web_view    (PdChallengeView        *self);
/* For tests: how long before PD_CHALLENGE_END_TIMED_OUT, from the next
 * start on. */
void             pd_challenge_view_set_timeout     (PdChallengeView        *self,
                                                    guint                   seconds);
/* After PD_CHALLENGE_END_LOAD_FAILED: why, in words for the merchant (the
 * view shows it too); NULL otherwise. Cleared by the next start. */
const char      *pd_challenge_view_get_failure_message (PdChallengeView *self);

/* Signals:
 *   "finished" (PdChallengeView *self, PdChallengeEnd end, const char *url,
 *               gpointer user_data): emitted once per start; @url is the
 *               intercepted address (NULL unless RETURN_URL / CANCEL_URL).
 *   "loaded"   (PdChallengeView *self, gpointer user_data): a page of the
 *               challenge finished loading (tests wait for it).
 * Property: "active" (gboolean, read-only, notified): a challenge is under
 * way; FALSE again as soon as it ends, before "finished". */

G_END_DECLS
