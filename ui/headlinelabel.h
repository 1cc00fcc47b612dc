// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

namespace mlastudio::ui {

/**
 * One line of text in runs, some bold, some in the alert colour: the status bar's headline. A rich-text
 * QLabel lays out a whole QTextDocument at every change (about 2 M instructions, at every slider move);
 * this measures and draws each run with the font metrics instead.
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

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QFont runFont(const Run &run) const;
    void measure();

    QList<Run> m_runs;
    QString m_text;
    QSize m_hint{0, 0};
};

} // namespace mlastudio::ui
