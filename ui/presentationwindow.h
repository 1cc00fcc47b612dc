// SPDX-License-Identifier: MIT
#pragma once

#include "deck.h"
#include "views/plotview.h"
#include "views/viewfactory.h"

#include "mlastudio/core/fields.h"

#include <QPointer>
#include <QWidget>

#include <array>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace mlastudio::ui {

class FieldPlayer;
class PresentationControls;
class Scenario;

/**
 * Presentation mode (View → Presentation, F11; `mla-studio --present`): a full-screen window with
 * one enlarged view in the slides theme, the key sliders beside it and a Play button. Ctrl +/−
 * and Ctrl 0 zoom every text; PageDown/PageUp step through a deck, whose steps play in a scenario
 * of their own (the document is not touched) with their caption above the view; Esc or F11 leave.
 * Axes are locked by default, so points move and the frame stays still. Children carry object
 * names for tests: "caption", "combo_view", "combo_play_field", "button_play", "slider_<field id>".
 */
class PresentationWindow final : public QWidget
{
    Q_OBJECT

public:
    /** A presentation of \p document (not owned; must outlive the window) showing \p view. */
    PresentationWindow(Scenario *document, ViewId view, QWidget *parent = nullptr);
    ~PresentationWindow() override;

    /** The key fields that get a slider. */
    static constexpr std::array kKeyFields{core::Field::DramBandwidth, core::Field::PeakCompute,
                                           core::Field::SramCapacity,  core::Field::Batch,
                                           core::Field::KvLength,      core::Field::KvLoraRank};

    /** The scenario shown: the document, or the deck's own while a deck step is shown. */
    Scenario *scenario() const;
    PlotView *view() const { return m_view; }
    ViewId viewId() const { return m_viewId; }
    void setView(ViewId id);

    /** Text zoom: 1 is the slides theme as exported for a 1280 × 720 slide; Ctrl +/− multiply by
     *  1.25 (0.5 to 4). Larger windows scale every text by their size over 1280 × 720 on top. */
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    void zoomIn();
    void zoomOut();

    /** Locks the view's axes (the default here); unlocking lets them follow the data again. */
    void setAxesLocked(bool locked);
    bool axesLocked() const { return m_axesLocked; }

    /** Uses \p deck for PageDown/PageUp (the built-in deck until one is set); shows nothing yet. */
    void setDeck(const Deck &deck);
    const Deck &deck() const { return m_deck; }
    /** The deck step shown (0-based), or -1 while the document is shown. */
    int step() const { return m_step; }
    /** Shows step \p index of the deck: its scenario, its view and its caption. \return error or empty. */
    QString goToStep(int index);
    /** PageDown: the next step (the first one from the document). */
    void nextStep();
    /** PageUp: the previous step. */
    void previousStep();
    /** The caption shown above the view (empty outside a deck). */
    QString caption() const;

    FieldPlayer *player() const { return m_player; }

Q_SIGNALS:
    /** Esc or F11 was pressed, or the window was closed: leave presentation mode. */
    void leaveRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void buildUi();
    void bindScenario();
    void applyZoom();
    /** zoom() times the window's size over a 1280 × 720 slide (at least 1). */
    double textScale() const;
    void updatePlayButton(bool playing);

    Scenario *m_document = nullptr;
    std::unique_ptr<Scenario> m_deckScenario;
    Deck m_deck;
    int m_step = -1;
    ViewId m_viewId = ViewId::Roofline;
    double m_zoom = 1.0;
    double m_screenScale = 1.0;
    bool m_axesLocked = true;
    QPointer<PlotView> m_view;
    QVBoxLayout *m_viewBox = nullptr;
    QVBoxLayout *m_controlsBox = nullptr;
    QWidget *m_side = nullptr;
    QPointer<PresentationControls> m_controls;
    QLabel *m_caption = nullptr;
    QLabel *m_hint = nullptr;
    QComboBox *m_viewCombo = nullptr;
    QComboBox *m_playField = nullptr;
    QPushButton *m_play = nullptr;
    FieldPlayer *m_player = nullptr;
};

} // namespace mlastudio::ui
