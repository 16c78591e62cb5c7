package dev.emma.bench.ab;

/**
 * Something the user must hear about one run. {@link Severity#FAIL}: the arm did not run, or is
 * not what it claims; the exit code becomes 1. {@link Severity#WARN}: what the arm claims cannot be
 * checked, or it shows something odd; said as loudly, exit code unchanged. {@link Severity#NOTE}: a remark.
 */
public record Problem(Severity severity, Arm arm, int rep, String text) {

    public enum Severity { FAIL, WARN, NOTE }

    public boolean fails() {
        return severity == Severity.FAIL;
    }

    /** FAIL and WARN: printed with the run's progress as well as at the end. */
    public boolean loud() {
        return severity != Severity.NOTE;
    }

    /** {@code FAIL  emma rep 2: ...}, the same on the terminal and in the report. */
    public String line() {
        return switch (severity) {
            case FAIL -> "FAIL ";
            case WARN -> "WARN ";
            case NOTE -> "note ";
        } + arm.id() + " rep " + rep + ": " + text;
    }
}
