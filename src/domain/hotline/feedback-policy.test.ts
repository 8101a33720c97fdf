import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEEDBACK_POLICY, feedbackLimitOf, parseFeedbackPolicy } from './feedback-policy.ts';

const P = DEFAULT_FEEDBACK_POLICY;

test('default feedback limits (Beijing): threat 2 h, utility 24 h, complex 15 d, general 7 d', () => {
  const t = feedbackLimitOf(P, { urgency: 'very_urgent' });
  assert.deepEqual([t.feedbackClass, t.amount, t.unit], ['threat', 2, 'natural_hours']);
  assert.equal(feedbackLimitOf(P, { description: '小区停水两天了' }).feedbackClass, 'utility');
  assert.equal(feedbackLimitOf(P, { description: '小区停水两天了' }).amount, 24);
  assert.equal(feedbackLimitOf(P, { complex: true }).amount, 15);
  const g = feedbackLimitOf(P, { matterCode: '09006', description: '占道经营' });
  assert.deepEqual([g.feedbackClass, g.amount, g.unit], ['general', 7, 'natural_days']);
});

test('urgency picks the class first: 紧急 is the 24 h class, 非常紧急 the 2 h class, even when marked complex', () => {
  const u = feedbackLimitOf(P, { urgency: 'urgent', matterCode: '09006', description: '占道经营堵住消防通道' });
  assert.deepEqual([u.feedbackClass, u.amount, u.unit], ['utility', 24, 'natural_hours']);
  assert.equal(feedbackLimitOf(P, { urgency: 'urgent', complex: true }).feedbackClass, 'utility');
  assert.equal(feedbackLimitOf(P, { urgency: 'very_urgent', complex: true }).feedbackClass, 'threat');
  assert.equal(feedbackLimitOf(P, { urgency: 'normal', complex: true }).feedbackClass, 'complex');
});

test('a city changes limits, the urgency mapping and the utility classes; omitted parts keep their defaults', () => {
  const p = parseFeedbackPolicy({
    limits: { general: { amount: 5, unit: 'work_days' } }, urgencyClasses: { urgent: null }, utilityMatterClasses: ['11'],
  });
  assert.deepEqual(p.limits.general, { amount: 5, unit: 'work_days' });
  assert.deepEqual(p.limits.threat, { amount: 2, unit: 'natural_hours' });
  assert.equal(p.urgencyClasses.very_urgent, 'threat');
  assert.equal(feedbackLimitOf(p, { urgency: 'urgent', matterCode: '09006' }).feedbackClass, 'general');
  assert.equal(feedbackLimitOf(p, { matterCode: '11003' }).feedbackClass, 'utility');
  assert.deepEqual(p.utilityWords, P.utilityWords);
});

test('a bad policy names its field', () => {
  const field = (v: unknown) => { try { parseFeedbackPolicy(v); return null; } catch (e) { return (e as { field?: string }).field; } };
  assert.equal(field({ limits: { threat: { amount: 0, unit: 'natural_hours' } } }), 'limits.threat.amount');
  assert.equal(field({ limits: { threat: { amount: 2, unit: 'fortnights' } } }), 'limits.threat.unit');
  assert.equal(field({ limits: { urgent: { amount: 2, unit: 'natural_hours' } } }), 'limits.urgent');
  assert.equal(field({ urgencyClasses: { urgent: 'soon' } }), 'urgencyClasses.urgent');
  assert.equal(field({ utilityMatterClasses: ['1'] }), 'utilityMatterClasses[0]');
  assert.equal(field({ utilityWords: [''] }), 'utilityWords[0]');
  assert.equal(field({ colour: 'red' }), 'colour');
  assert.equal(field([]), 'feedbackLimits');
  assert.equal(field({}), null);
});
