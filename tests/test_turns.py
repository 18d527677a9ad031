"""The async engine's turns (batch/engines/turns.py): answers that come in within one turn
go on together, in one pass of the loop; a cancelled waiter leaves the turn to the others."""

import asyncio

from summarizer.batch.engines.turns import Turns


def test_waiters_of_one_turn_go_on_together_and_the_next_caller_opens_a_new_turn():
    async def scenario():
        loop = asyncio.get_running_loop()
        turns = Turns(every=0.05)
        passes = [0]
        woke: list[tuple[str, int, float]] = []

        async def count_passes() -> None:
            while True:
                await asyncio.sleep(0)
                passes[0] += 1

        async def brief(name: str, after: float) -> None:
            await asyncio.sleep(after)
            await turns.wait()
            woke.append((name, passes[0], loop.time()))

        counter = asyncio.ensure_future(count_passes())
        start = loop.time()
        await asyncio.gather(brief("a", 0), brief("b", 0.01), brief("c", 0.02))
        await brief("d", 0)  # after the turn ended: a turn of its own
        counter.cancel()
        return start, woke

    start, woke = asyncio.run(scenario())
    assert [name for name, _, _ in woke] == ["a", "b", "c", "d"]
    assert len({p for name, p, _ in woke if name != "d"}) == 1  # one pass released a, b, c
    assert woke[0][2] - start >= 0.04  # no one goes before the turn ends
    assert woke[3][2] - woke[0][2] >= 0.04  # d waited a turn of its own


def test_a_cancelled_waiter_does_not_cancel_the_turn_for_the_others():
    async def scenario():
        turns = Turns(every=0.02)
        gone = asyncio.ensure_future(turns.wait())
        stays = asyncio.ensure_future(turns.wait())
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.wait_for(stays, timeout=1)
        return gone.cancelled(), stays.done() and stays.exception() is None

    assert asyncio.run(scenario()) == (True, True)


def test_turns_used_again_on_a_new_loop_start_afresh():
    turns = Turns(every=0.01)

    async def leave_a_turn_open():
        asyncio.ensure_future(turns.wait())  # the loop ends before this turn does
        await asyncio.sleep(0)

    asyncio.run(leave_a_turn_open())
    asyncio.run(asyncio.wait_for(turns.wait(), timeout=1))  # no "attached to another loop"
