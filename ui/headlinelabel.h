// SPDX-License-Identifier: MIT
#pragma once

#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>

#include <vector>

namespace mlastudio::ui {

/**
 * One line of text in runs, some bold, some in the alert colour: the status bar's headline. A rich-text
 * QLabel lays out a whole QTextDocument at every change (about 2 M instructions, at every slider move);
 * this measures and draws each run with the font metrics instead. A black run drawn a second time
 * unchanged (most of the line, while a slider moves) is copied from an image of it instead of being
 * shaped again, at the same pixels.
 */
class HeadlineLabel : public QWidget
{
public:
    struct Run {
        QString text;
        bool bold = false;
        bool alert = false;  //!< drawn in kAlertColor (invalid input, does not fit)
        bool operator==(const Run &) const = default;
    };
    static constexpr QRgb kAlertColor = 0xffd62728;

    explicit HeadlineLabel(QWidget *parent = nullptr);

    void setRuns(QList<Run> runs);
    const QList<Run> &runs() const { return m_runs; }
    /** \return the runs' text, joined. */
    QString text() const { return m_text; }

    QSize sizeHint() const override { return m_hint; }
    QSize minimumSizeHint() const override { return m_hint; }

    /** \return how many runs are held as images (tests). */
    int cachedRunCount() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    /** A run as last drawn: its image once it was drawn twice. */
    struct Drawn {
        Run run;
        QFont font;
        QRgb color = 0;
        qreal pixelRatio = 1.0;
        QImage image;  //!< the run on a transparent background, with a margin for glyph overhang
        QPoint offset; //!< where the image's top left goes, relative to the run's pen position
    };

    QFont runFont(const Run &run) const;
    /** Measures the runs; \p known holds the advances of those that kept theirs (-1: measure it). */
    void measure(const std::vector<int> &known = {});
    Drawn renderRun(const Run &run, const QFont &font, QRgb color) const;

    QList<Run> m_runs;
    std::vector<int> m_advances;  //!< each run's advance, as measure() found it
    QString m_text;
    QSize m_hint{0, 0};
    std::vector<Drawn> m_drawn;  //!< the runs of the last paint
};

} // namespace mlastudio::ui
