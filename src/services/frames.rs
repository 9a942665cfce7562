//! The slab of call frames: one entry per call in progress, reused after
//! the call ends, so memory is bounded by what is in flight.

use super::{FrameState, Kind};
use crate::engine::SimTime;

/// A generation-checked handle to a frame. It carries the kind that owns
/// the frame, so that events and replies are dispatched to the kind's
/// handler without reading the slab (the handler reads the frame once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameRef {
    /// Slot.
    pub idx: u32,
    /// Generation of the slot when the handle was made.
    pub gen: u32,
    /// The kind whose frame variant the slot held when the handle was made.
    pub kind: Kind,
}

impl FrameRef {
    /// "No parent" (never a live frame: its slot does not exist).
    pub const NONE: FrameRef = FrameRef {
        idx: u32::MAX,
        gen: u32::MAX,
        kind: Kind::ALL[0],
    };
}

/// One call in progress.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Who to deliver the outcome to.
    pub parent: FrameRef,
    /// When the call started \[ns\].
    pub start: SimTime,
    /// Kind-specific state.
    pub state: FrameState,
}

struct Slot {
    gen: u32,
    live: bool,
    frame: Frame,
}

/// The frame slab.
#[derive(Default)]
pub struct Frames {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
}

impl Frames {
    /// Stores a new frame and returns its handle.
    #[inline]
    pub fn alloc(&mut self, frame: Frame) -> FrameRef {
        let kind = frame.state.kind();
        self.live += 1;
        if let Some(idx) = self.free.pop() {
            let s = &mut self.slots[idx as usize];
            s.live = true;
            s.frame = frame;
            FrameRef {
                idx,
                gen: s.gen,
                kind,
            }
        } else {
            let idx = self.slots.len() as u32;
            self.slots.push(Slot {
                gen: 0,
                live: true,
                frame,
            });
            FrameRef { idx, gen: 0, kind }
        }
    }

    /// The frame, if the handle is still current.
    ///
    /// The generation alone decides: `free` advances it, so a handle made
    /// before is stale, and no handle carries the new generation until
    /// `alloc` makes the slot live again (so `live` need not be read).
    #[inline]
    pub fn get(&self, r: FrameRef) -> Option<&Frame> {
        match self.slots.get(r.idx as usize) {
            Some(s) if s.gen == r.gen => Some(&s.frame),
            _ => None,
        }
    }

    /// The frame, mutably, if the handle is still current.
    #[inline]
    pub fn get_mut(&mut self, r: FrameRef) -> Option<&mut Frame> {
        match self.slots.get_mut(r.idx as usize) {
            Some(s) if s.gen == r.gen => Some(&mut s.frame),
            _ => None,
        }
    }

    /// Ends a frame; later handles to it become stale.
    #[inline]
    pub fn free(&mut self, r: FrameRef) -> Option<Frame> {
        let s = self.slots.get_mut(r.idx as usize)?;
        if s.gen != r.gen {
            return None;
        }
        debug_assert!(s.live, "a current handle to a free slot");
        s.live = false;
        s.gen = s.gen.wrapping_add(1);
        self.free.push(r.idx);
        self.live -= 1;
        Some(s.frame)
    }

    /// Frames in progress.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Bytes allocated by the slab.
    pub fn footprint(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>() + self.free.capacity() * 4
    }

    /// The frames in progress (for diagnostics, not the hot path).
    pub fn iter_live(&self) -> impl Iterator<Item = &Frame> {
        self.slots.iter().filter(|s| s.live).map(|s| &s.frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Frame {
        Frame {
            parent: FrameRef::NONE,
            start: 0,
            state: FrameState::Request(crate::services::client::Request {
                workload: 0,
                route: 0,
                attempt: 0,
                measured: true,
                cold: false,
                replay_us: u32::MAX,
            }),
        }
    }

    #[test]
    fn stale_handles_are_rejected() {
        let mut f = Frames::default();
        let a = f.alloc(req());
        assert!(f.get(a).is_some());
        assert!(f.free(a).is_some());
        assert!(f.get(a).is_none());
        assert!(f.free(a).is_none());
        let b = f.alloc(req());
        assert_eq!(b.idx, a.idx);
        assert_ne!(b.gen, a.gen);
        assert!(f.get(a).is_none());
        assert_eq!(f.live(), 1);
    }

    #[test]
    fn handles_carry_the_kind_of_their_frame() {
        let mut f = Frames::default();
        let a = f.alloc(req());
        let t = f.alloc(Frame {
            parent: a,
            start: 0,
            state: FrameState::TableCall(crate::services::table::TableCall::new(
                &crate::services::table::TableRequest {
                    table: 0,
                    read: true,
                    transactional: false,
                    op: crate::model::TableOp::Get,
                    index: 0,
                    units: 1.0,
                    items: 1,
                    item_kb: 1.0,
                    keys: crate::dist::keys::Keys::default(),
                    slot: 0,
                },
                0,
            )),
        });
        assert_eq!(a.kind, Kind::Workload);
        assert_eq!(t.kind, Kind::Table);
        assert_eq!(f.get(t).map(|fr| fr.state.kind()), Some(Kind::Table));
        // A slot reused by another kind: the old handle is stale, the new
        // one carries the new kind.
        f.free(t);
        let b = f.alloc(req());
        assert_eq!((b.idx, b.kind), (t.idx, Kind::Workload));
        assert!(f.get(t).is_none() && f.get_mut(t).is_none() && f.free(t).is_none());
        assert!(f.get(FrameRef::NONE).is_none());
    }
}
