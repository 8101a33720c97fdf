import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answersCaller, feedbackAlert, feedbackAnsweredAt, type RecordStep } from './feedback.ts';

const H = 3_600_000;
const T = 1_000 * H;
const clock = (answeredAt: number | null) => ({ warnAt: T + 8 * H, dueAt: T + 10 * H, answeredAt });

test('the feedback clock warns at its warning instant and goes overdue at the deadline, looking ahead to the next threshold', () => {
  assert.deepEqual(feedbackAlert(clock(null), T + H), { level: 'normal', nextAlertAt: T + 8 * H, stopped: false });
  assert.deepEqual(feedbackAlert(clock(null), T + 8 * H), { level: 'warning', nextAlertAt: T + 10 * H, stopped: false });
  assert.deepEqual(feedbackAlert(clock(null), T + 10 * H), { level: 'overdue', nextAlertAt: null, stopped: false });
});

test('an answer stops the clock at the level it had reached', () => {
  assert.deepEqual(feedbackAlert(clock(T + 2 * H), T + 9 * H), { level: 'normal', nextAlertAt: null, stopped: true });
  assert.deepEqual(feedbackAlert(clock(T + 9 * H), T + 12 * H), { level: 'warning', nextAlertAt: null, stopped: true });
  assert.equal(feedbackAlert(clock(T + 10 * H), T + 12 * H).level, 'warning', 'at the deadline is in time');
  assert.equal(feedbackAlert(clock(T + 11 * H), T + 12 * H).level, 'overdue');
  // an answer after now (a sweep looking at a past threshold) does not count yet
  assert.equal(feedbackAlert(clock(T + 11 * H), T + 10 * H).stopped, false);
  assert.deepEqual(feedbackAlert({ warnAt: null, dueAt: null, answeredAt: null }, T), { level: 'normal', nextAlertAt: null, stopped: true });
});

test('what answers the caller: a callback, the case archived or cancelled — not a duplicate link, not the result awaiting its callback', () => {
  assert.equal(answersCaller({ action: 'callback', toState: 'IN_PROGRESS' }), true, 'unsatisfied callback: the caller was reached');
  assert.equal(answersCaller({ action: 'callback', toState: 'ARCHIVED' }), true);
  assert.equal(answersCaller({ action: 'close', toState: 'ARCHIVED' }), true);
  assert.equal(answersCaller({ action: 'reject', toState: 'CANCELLED' }), true);
  assert.equal(answersCaller({ action: 'linked_duplicate', toState: 'CANCELLED' }), false);
  assert.equal(answersCaller({ action: 'merge_into', toState: 'CANCELLED' }), false);
  assert.equal(answersCaller({ action: 'check_pass', toState: 'CLOSED_PENDING_CALLBACK' }), false);
});

test('answered at: the first answering step after the call, of the case or (for a duplicate) the end of its master', () => {
  const steps: RecordStep[] = [
    { caseId: 1, action: 'linked_duplicate', toState: 'CANCELLED', at: T },
    { caseId: 2, action: 'callback', toState: 'IN_PROGRESS', at: T + H },
    { caseId: 2, action: 'callback', toState: 'ARCHIVED', at: T + 5 * H },
    { caseId: 3, action: 'close', toState: 'ARCHIVED', at: T - H },
  ];
  assert.equal(feedbackAnsweredAt(steps, 1, null, T), null);
  assert.equal(feedbackAnsweredAt(steps, 1, 2, T), T + 5 * H, "the master's callback answers its own reporter, its archive ends the problem");
  assert.equal(feedbackAnsweredAt(steps, 2, null, T), T + H);
  assert.equal(feedbackAnsweredAt(steps, 3, null, T), null, 'steps before the call do not count');
});
