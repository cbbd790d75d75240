-- Up Migration
-- Reserve and pay as one statement each: every lock, check and write of a step
-- runs inside PostgreSQL in the statement's own transaction, so a purchase
-- costs two round trips instead of a dozen, and locks are held for the time the
-- database needs rather than for the time a client takes to send the next
-- query. The functions decide nothing the API does not document: each answers
-- an outcome code that the domain (src/domain/purchase) maps to its error.
--
-- Lock order is the one every purchase path uses: seat, then order, then user.

-- The only way balances change (src/domain/credits/ledger.ts calls it too): the
-- balance UPDATE is guarded so a debit never takes the spendable balance
-- (balance minus frozen) below zero, and the ledger row is written with it.
-- Returns the new balance, or NULL when the user is missing or the debit is
-- refused.
CREATE FUNCTION move_credits(p_user uuid, p_amount bigint, p_kind text, p_ref_type text, p_ref_id text)
RETURNS bigint LANGUAGE sql AS $$
  WITH moved AS (
    UPDATE users SET balance_cents = balance_cents + p_amount
     WHERE id = p_user AND (p_amount >= 0 OR balance_cents - frozen_cents + p_amount >= 0)
     RETURNING id, balance_cents
  )
  INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type, reference_id)
  SELECT id, p_amount, balance_cents, p_kind, p_ref_type, p_ref_id FROM moved
  RETURNING balance_after
$$;

-- Places a hold until p_held_until for p_user on p_seat and opens its PENDING
-- order. The seat is locked NOWAIT: a competing reservation in flight fails the
-- statement with lock_not_available at once (the caller answers
-- SEAT_UNAVAILABLE). A hold past its end (held_until < p_now, the sweeper's
-- boundary) is as good as gone: its order expires and the seat is held again.
-- An account holds at most p_max_holds seats of one event at once: counted
-- before the new hold under a transaction-scoped advisory lock on (user,
-- event), so concurrent reserves of one account for one event count one after
-- the other; holds past their end do not count.
-- Outcomes: HELD, EXISTING (the user already holds it: same order),
-- USER_NOT_FOUND, SEAT_NOT_FOUND, EVENT_ENDED, SEAT_ALREADY_SOLD, SEAT_UNAVAILABLE,
-- HOLD_LIMIT_REACHED (`held` says how many the account holds).
CREATE FUNCTION reserve_seat(p_user uuid, p_seat uuid, p_now timestamptz, p_held_until timestamptz, p_max_holds integer,
                             OUT outcome text, OUT order_id uuid, OUT held_until timestamptz, OUT held integer)
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  pending record;
BEGIN
  PERFORM 1 FROM users WHERE id = p_user;
  IF NOT FOUND THEN outcome := 'USER_NOT_FOUND'; RETURN; END IF;

  SELECT st.id, st.status, st.held_by, st.held_until, st.event_id, e.event_date, c.price_cents INTO s
    FROM seats st
    JOIN events e ON e.id = st.event_id
    JOIN event_categories c ON c.event_id = st.event_id AND c.category = st.category
   WHERE st.id = p_seat
     FOR UPDATE OF st NOWAIT;
  IF NOT FOUND THEN outcome := 'SEAT_NOT_FOUND'; RETURN; END IF;
  IF s.event_date < p_now THEN outcome := 'EVENT_ENDED'; RETURN; END IF;
  IF s.status IN ('SOLD', 'CHECKED_IN') THEN outcome := 'SEAT_ALREADY_SOLD'; RETURN; END IF;

  IF s.status = 'HELD' THEN
    SELECT o.id INTO pending FROM orders o WHERE o.seat_id = s.id AND o.status = 'PENDING' FOR UPDATE;
    IF s.held_until >= p_now THEN
      IF s.held_by = p_user AND pending.id IS NOT NULL THEN
        outcome := 'EXISTING'; order_id := pending.id; held_until := s.held_until; RETURN;
      END IF;
      outcome := 'SEAT_UNAVAILABLE'; RETURN;
    END IF;
    IF pending.id IS NOT NULL THEN
      UPDATE orders SET status = 'EXPIRED', updated_at = p_now WHERE id = pending.id;
    END IF;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended('hold-cap:' || p_user || ':' || s.event_id, 0));
  SELECT count(*)::int INTO held FROM orders x
   WHERE x.user_id = p_user AND x.event_id = s.event_id AND x.status = 'PENDING' AND x.held_until > p_now;
  IF held >= p_max_holds THEN outcome := 'HOLD_LIMIT_REACHED'; RETURN; END IF;

  INSERT INTO orders (user_id, seat_id, event_id, amount_cents, held_until, created_at, updated_at)
  VALUES (p_user, s.id, s.event_id, s.price_cents, p_held_until, p_now, p_now)
  RETURNING id INTO order_id;
  UPDATE seats SET status = 'HELD', held_by = p_user, held_until = p_held_until WHERE id = s.id;
  outcome := 'HELD';
  held_until := p_held_until;
END $$;

-- Confirms a held seat: credits debited (ledger kind PURCHASE), seat SOLD to the
-- order's user, order CONFIRMED. A hold found past its end is released here
-- (committed) and answered HOLD_EXPIRED. p_owner is the user the order must
-- belong to, NULL for any (the access rule is decided by the caller, from the
-- token). Outcomes: PAID, ORDER_NOT_FOUND, NOT_THE_OWNER, ORDER_ALREADY_CONFIRMED, HOLD_EXPIRED, ORDER_ENDED (cancelled or
-- failed: order_status says which), SEAT_NOT_HELD, OTP_REQUIRED (flagged user
-- without a verified code: nothing written, the caller sends one) and
-- INSUFFICIENT_CREDITS.
CREATE FUNCTION pay_order(p_order uuid, p_owner uuid, p_now timestamptz,
                          OUT outcome text, OUT order_status text, OUT seat_id uuid, OUT user_id uuid,
                          OUT amount_cents bigint, OUT spendable_cents bigint, OUT phone text,
                          OUT row_label text, OUT seat_number integer, OUT event_name text)
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  o record;
  u record;
  balance bigint;
BEGIN
  SELECT st.id, st.status, st.held_by, st.row_label, st.seat_number INTO s
    FROM seats st WHERE st.id = (SELECT x.seat_id FROM orders x WHERE x.id = p_order) FOR UPDATE;
  IF NOT FOUND THEN outcome := 'ORDER_NOT_FOUND'; RETURN; END IF;
  SELECT x.id, x.user_id, x.seat_id, x.amount_cents, x.status, x.held_until, x.otp_verified_at INTO o
    FROM orders x WHERE x.id = p_order FOR UPDATE;
  seat_id := s.id; user_id := o.user_id; amount_cents := o.amount_cents; order_status := o.status;
  row_label := s.row_label; seat_number := s.seat_number;

  IF p_owner IS NOT NULL AND o.user_id <> p_owner THEN outcome := 'NOT_THE_OWNER'; RETURN; END IF;
  IF o.status = 'CONFIRMED' THEN outcome := 'ORDER_ALREADY_CONFIRMED'; RETURN; END IF;
  IF o.status = 'EXPIRED' THEN outcome := 'HOLD_EXPIRED'; RETURN; END IF;
  IF o.status <> 'PENDING' THEN outcome := 'ORDER_ENDED'; RETURN; END IF;
  IF o.held_until < p_now THEN
    UPDATE orders SET status = 'EXPIRED', updated_at = p_now WHERE id = o.id;
    UPDATE seats SET status = 'AVAILABLE', held_by = NULL, held_until = NULL
     WHERE id = s.id AND status = 'HELD' AND held_by = o.user_id;
    outcome := 'HOLD_EXPIRED'; RETURN;
  END IF;
  IF s.status <> 'HELD' OR s.held_by IS DISTINCT FROM o.user_id THEN outcome := 'SEAT_NOT_HELD'; RETURN; END IF;

  -- Locked before the debit, so frozen_cents cannot change before the answer is computed.
  SELECT x.is_flagged, x.phone, x.balance_cents, x.frozen_cents INTO u FROM users x WHERE x.id = o.user_id FOR NO KEY UPDATE;
  spendable_cents := u.balance_cents - u.frozen_cents;
  IF u.is_flagged AND o.otp_verified_at IS NULL THEN
    outcome := 'OTP_REQUIRED'; phone := u.phone;
    SELECT e.name INTO event_name FROM events e JOIN orders x ON x.event_id = e.id WHERE x.id = o.id;
    RETURN;
  END IF;

  IF o.amount_cents > 0 THEN
    balance := move_credits(o.user_id, -o.amount_cents, 'PURCHASE', 'order', o.id::text);
    IF balance IS NULL THEN outcome := 'INSUFFICIENT_CREDITS'; RETURN; END IF;
    spendable_cents := balance - u.frozen_cents;
  END IF;
  UPDATE orders SET status = 'CONFIRMED', confirmed_at = p_now, updated_at = p_now WHERE id = o.id;
  UPDATE seats SET status = 'SOLD', owner_user_id = o.user_id, held_by = NULL, held_until = NULL WHERE id = s.id;
  outcome := 'PAID';
END $$;

-- Down Migration
DROP FUNCTION IF EXISTS pay_order(uuid, uuid, timestamptz);
DROP FUNCTION IF EXISTS reserve_seat(uuid, uuid, timestamptz, timestamptz, integer);
DROP FUNCTION IF EXISTS move_credits(uuid, bigint, text, text, text);
