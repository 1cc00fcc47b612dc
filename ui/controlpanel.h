// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/fields.h"

#include <QGroupBox>
#include <QImage>
#include <QWidget>

#include <array>
#include <functional>
#include <limits>

class QAbstractSpinBox;
class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QSlider;
class QToolButton;

namespace mlastudio::ui {

class Scenario;

/**
 * Which of a panel's sliders the user holds, between its sliderPressed and sliderReleased: the views
 * draw fast while one is held and finish the figure on release (PlotView::setDragMode).
 */
class SliderHold
{
public:
    /** \p changed(true) when a slider is pressed while none is held, \p changed(false) when it is released. */
    void setHandler(std::function<void(bool)> changed) { m_changed = std::move(changed); }
    /** Follows \p slider's presses and releases while \p context lives (the panel that owns this). */
    void watch(QSlider *slider, QObject *context);
    bool isHeld() const { return m_held != nullptr; }

private:
    QSlider *m_held = nullptr;
    std::function<void(bool)> m_changed;
};

/**
 * A group box of the panel, drawn from an image of its frame and title on the panel's background. A
 * slider or spin box inside it repaints at every move, and each time Qt first paints what lies beneath
 * it: the panel's background, the Fusion frame (a stretched pixmap) and the title (shaped text), about
 * 0.4 M instructions. On a parent that fills its background with one opaque colour, the box is opaque
 * and copies those pixels from the image (made again when its size, title, font, palette, state or
 * style changes); elsewhere it paints as QGroupBox.
 */
class PanelGroupBox final : public QGroupBox
{
public:
    explicit PanelGroupBox(const QString &title, QWidget *parent = nullptr);
    /** \return true when the last paint copied from the image. */
    bool paintedFromImage() const { return m_fromImage; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    /** What the image shows: when any of it differs, the image is made again. */
    struct Look {
        QSize size;
        qreal pixelRatio = 0.0;
        int dpi = 0;
        int state = 0;
        int subControls = 0;
        QString text;
        QFont font;
        qint64 palette = 0;
        int colorGroup = 0;
        QRgb background = 0;
        const QStyle *style = nullptr;
        bool operator==(const Look &) const = default;
    };
    /** \return what the box shows now, and in \p beneath what its parent fills it with (or no brush). */
    Look look(QBrush *beneath) const;
    void makeImage();

    static constexpr int kImageMargin = 2;  //!< around the box in m_image
    QImage m_image;
    Look m_look;
    bool m_fromImage = false;
    bool m_rendering = false;  //!< painting QGroupBox's own way, into m_image
    bool m_imagePending = false;
};

/**
 * The inputs: preset choice, phase, derates, visible schemes and one slider + spin box per
 * core::Field. It only calls Scenario setters and refreshes itself from parametersChanged(), so
 * undo, file loading and other views stay in step. Children carry object names for tests and
 * automation: "combo_model", "combo_hardware", "combo_phase", "check_derates", "check_<scheme id>",
 * and per field "slider_<id>", "spin_<id>", "combo_<id>" (precisions), "reset_<id>", "label_<id>".
 */
class ControlPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ControlPanel(Scenario *scenario, QWidget *parent = nullptr);
    ~ControlPanel() override;

    /** Slider resolution: positions run from 0 to kSliderSteps. */
    static constexpr int kSliderSteps = 1000;
    /** \return the slider position of a display value (linear or logarithmic per FieldInfo). */
    static int sliderPosition(const core::FieldInfo &info, double displayValue);
    /** \return the display value at a slider position (rounded for integer fields). */
    static double sliderValue(const core::FieldInfo &info, int position);

    QSize sizeHint() const override;

    /** \return true while the user holds one of the field sliders (between its sliderPressed and
     *  sliderReleased): the views draw fast then and finish the figure on release. */
    bool isSliderHeld() const { return m_hold.isHeld(); }

Q_SIGNALS:
    /** A field slider was pressed (\p held true) or released (false). */
    void sliderHeldChanged(bool held);

protected:
    /** Passes wheel events over an unfocused slider, spin box or combo box on to the scroll area. */
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct FieldRow {
        QLabel *label = nullptr;
        QSlider *slider = nullptr;
        QAbstractSpinBox *spin = nullptr;
        QComboBox *combo = nullptr;
        QToolButton *reset = nullptr;
        double checkedDisplay = std::numeric_limits<double>::quiet_NaN();  //!< refresh()'s last display value
        double checkedSpin = std::numeric_limits<double>::quiet_NaN();     //!< and the double spin box's value then
    };

    QWidget *buildPresetBox();
    QWidget *buildSchemeBox();
    QWidget *buildFieldGroup(core::FieldGroup group, const QString &title);
    void addFieldRow(QGridLayout *grid, int row, const core::FieldInfo &info);
    void setFromUi(core::Field field, double displayValue);
    void refresh();
    void refreshSchemes();
    void refreshQueryLength();
    void guardWheel(QWidget *w);

    Scenario *m_scenario = nullptr;
    QComboBox *m_modelCombo = nullptr;
    QComboBox *m_hardwareCombo = nullptr;
    QComboBox *m_phaseCombo = nullptr;
    QCheckBox *m_derates = nullptr;
    QComboBox *m_scopeCombo = nullptr;  //!< "Attention only" / "Whole model" (core::Scope)
    std::array<QCheckBox *, 7> m_schemeChecks{};
    std::array<FieldRow, core::kFieldCount> m_rows{};
    bool m_updating = false;  //!< set while refreshing from the scenario: widget signals are not edits
    SliderHold m_hold;
};

} // namespace mlastudio::ui
