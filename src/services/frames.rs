//! The slab of call frames: one entry per call in progress, reused after
//! the call ends, so memory is bounded by what is in flight.

use super::FrameState;
use crate::engine::SimTime;

/// A generation-checked handle to a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameRef {
    /// Slot.
    pub idx: u32,
    /// Generation of the slot when the handle was made.
    pub gen: u32,
}

impl FrameRef {
    /// "No parent".
    pub const NONE: FrameRef = FrameRef {
        idx: u32::MAX,
        gen: u32::MAX,
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
        self.live += 1;
        if let Some(idx) = self.free.pop() {
            let s = &mut self.slots[idx as usize];
            s.live = true;
            s.frame = frame;
            FrameRef { idx, gen: s.gen }
        } else {
            let idx = self.slots.len() as u32;
            self.slots.push(Slot {
                gen: 0,
                live: true,
                frame,
            });
            FrameRef { idx, gen: 0 }
        }
    }

    /// The frame, if the handle is still current.
    #[inline]
    pub fn get(&self, r: FrameRef) -> Option<&Frame> {
        match self.slots.get(r.idx as usize) {
            Some(s) if s.live && s.gen == r.gen => Some(&s.frame),
            _ => None,
        }
    }

    /// The frame, mutably, if the handle is still current.
    #[inline]
    pub fn get_mut(&mut self, r: FrameRef) -> Option<&mut Frame> {
        match self.slots.get_mut(r.idx as usize) {
            Some(s) if s.live && s.gen == r.gen => Some(&mut s.frame),
            _ => None,
        }
    }

    /// Ends a frame; later handles to it become stale.
    #[inline]
    pub fn free(&mut self, r: FrameRef) -> Option<Frame> {
        let s = self.slots.get_mut(r.idx as usize)?;
        if !s.live || s.gen != r.gen {
            return None;
        }
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
}
