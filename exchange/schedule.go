package exchange

import (
	"cmp"
	"slices"
)

// The round scheduler: pure code with no database and no clock, so that it
// is deterministic and tested over random exchanges (schedule_test.go).
// docs/exchange.md explains the algorithm and how far from the best it can
// be.

// Problem is what the scheduler is given: the slots in time order, the
// rooms, which room can be used in which slot, the offers with the
// interests stated in them, and the rounds that must stay where they are.
type Problem struct {
	Slots []int64
	Rooms []int64
	// Usable[s][r] reports whether room Rooms[r] can be used in slot
	// Slots[s] (a room open for part of the exchange); nil: every room in
	// every slot.
	Usable [][]bool
	Offers []ProblemOffer
	Locked []Placement
}

// ProblemOffer is an offer to schedule: its presenting institution and
// the institutions interested in it.
type ProblemOffer struct {
	ID          int64
	Institution int64
	Interests   []Demand
}

// Demand is one institution's interest in an offer, with its priority
// (1 high … 3 low).
type Demand struct {
	Institution int64
	Priority    int
}

// Placement is a round: an offer presented in a slot and a room to the
// institutions it serves (the presenter not among them).
type Placement struct {
	OfferID      int64
	SlotID       int64
	RoomID       int64
	Institutions []int64
	Locked       bool
}

// Plan is the scheduler's answer: the rounds (locked ones included, in
// slot then room order), the interests it could not serve and why, and
// the weight it served (priority 1 weighs 3, 2 weighs 2, 3 weighs 1).
type Plan struct {
	Rounds   []Placement
	Unserved []Unserved
	Weight   int
}

// Unserved is an interest no round serves, with the reason.
type Unserved struct {
	OfferID     int64
	Institution int64
	Reason      Reason
}

// Reason says why an interest is not served.
type Reason string

// Reasons an interest is not served.
const (
	// ReasonNotScheduled: the offer has no round (no slot and room left
	// where its presenter is free, or none where presenting adds anything).
	ReasonNotScheduled Reason = "not_scheduled"
	// ReasonPresenting: the interested institution presents its own offer
	// in that slot.
	ReasonPresenting Reason = "presenting"
	// ReasonBusy: the institution attends another round in that slot, one
	// it gave a higher or equal priority.
	ReasonBusy Reason = "busy"
	// ReasonLocked: the offer's round is locked with the delegations it
	// had, and this one was not among them.
	ReasonLocked Reason = "locked"
)

// Weight is what serving an interest of priority p is worth.
func Weight(priority int) int {
	if priority < 1 || priority > 3 {
		return 0
	}
	return 4 - priority
}

// maxPasses bounds the local search; each pass either improves the plan
// or ends the search, so this only caps the time of pathological inputs.
const maxPasses = 40

// solver holds a problem in dense indices.
type solver struct {
	p      Problem
	nInst  int
	offers []offerIx
	cap    []int           // unlocked rounds each slot can still take
	locked []int           // slot of each offer's locked round, -1 when not locked
	busy   [][]bool        // [slot][inst]: presenting or attending a locked round
	lockIx map[int64]int   // offer id → index in p.Locked
	inst   map[int64]int   // institution id → dense index
	best   []int           // scratch: per institution, best weight in the slot
	seen   []bool          // scratch: per institution, presenting in the slot
	bySlot [][]int         // unlocked offers per slot (the current plan)
	where  []int           // slot of each offer in the current plan, -1: none
	memo   map[slotKey]int // value of a slot's set of offers
}

type offerIx struct {
	id        int64
	inst      int
	interests []demandIx
	total     int // sum of interests' weights
}

type demandIx struct {
	inst, weight int
}

type slotKey struct {
	slot int
	set  string
}

// Schedule assigns each offer's presentation to a slot and a room so that
// no institution is expected in two rounds at once and no room holds two
// rounds at once, serving as much interest, weighted by priority, as it
// finds. The same problem always gives the same plan.
func Schedule(p Problem) Plan {
	s := newSolver(p)
	var bestWhere []int
	bestValue := -1
	// Starts: first fit in the offers' order (the simplest greedy, which
	// the plan is therefore never worse than), and best gain with the
	// most wanted offers first. Each is improved by local search; the
	// best wins, the earlier start on a tie.
	for _, start := range []func(){s.firstFit, s.bestGain} {
		s.reset()
		start()
		s.improve()
		if v := s.total(); v > bestValue {
			bestValue, bestWhere = v, slices.Clone(s.where)
		}
	}
	s.load(bestWhere)
	return s.plan()
}

func newSolver(p Problem) *solver {
	s := &solver{p: p, inst: map[int64]int{}, lockIx: map[int64]int{}, memo: map[slotKey]int{}}
	ix := func(id int64) int {
		if i, ok := s.inst[id]; ok {
			return i
		}
		s.inst[id] = len(s.inst)
		return len(s.inst) - 1
	}
	slotIx := make(map[int64]int, len(p.Slots))
	for i, id := range p.Slots {
		slotIx[id] = i
	}
	offers := slices.Clone(p.Offers)
	slices.SortFunc(offers, func(a, b ProblemOffer) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range offers {
		oi := offerIx{id: o.ID, inst: ix(o.Institution)}
		for _, d := range o.Interests {
			if w := Weight(d.Priority); w > 0 && d.Institution != o.Institution {
				oi.interests = append(oi.interests, demandIx{inst: ix(d.Institution), weight: w})
				oi.total += w
			}
		}
		s.offers = append(s.offers, oi)
	}
	for i, l := range p.Locked {
		s.lockIx[l.OfferID] = i
		for _, id := range l.Institutions {
			ix(id)
		}
	}
	s.nInst = len(s.inst)
	s.best, s.seen = make([]int, s.nInst), make([]bool, s.nInst)
	s.cap = make([]int, len(p.Slots))
	s.busy = make([][]bool, len(p.Slots))
	taken := map[[2]int64]bool{}
	for _, l := range p.Locked {
		taken[[2]int64{l.SlotID, l.RoomID}] = true
	}
	for si, slot := range p.Slots {
		s.busy[si] = make([]bool, s.nInst)
		for r, room := range p.Rooms {
			if s.usable(si, r) && !taken[[2]int64{slot, room}] {
				s.cap[si]++
			}
		}
	}
	s.locked = make([]int, len(s.offers))
	for oi, o := range s.offers {
		s.locked[oi] = -1
		li, ok := s.lockIx[o.id]
		if !ok {
			continue
		}
		si, ok := slotIx[p.Locked[li].SlotID]
		if !ok {
			continue
		}
		s.locked[oi] = si
		s.busy[si][o.inst] = true
		for _, id := range p.Locked[li].Institutions {
			s.busy[si][s.inst[id]] = true
		}
	}
	s.bySlot = make([][]int, len(p.Slots))
	s.where = make([]int, len(s.offers))
	return s
}

func (s *solver) usable(slot, room int) bool {
	return s.p.Usable == nil || s.p.Usable[slot][room]
}

func (s *solver) reset() {
	for i := range s.bySlot {
		s.bySlot[i] = s.bySlot[i][:0]
	}
	for i := range s.where {
		s.where[i] = -1
	}
}

func (s *solver) load(where []int) {
	s.reset()
	for oi, si := range where {
		if si >= 0 {
			s.place(oi, si)
		}
	}
}

func (s *solver) place(oi, si int) {
	s.where[oi] = si
	s.bySlot[si] = append(s.bySlot[si], oi)
	slices.Sort(s.bySlot[si])
}

func (s *solver) unplace(oi int) {
	si := s.where[oi]
	s.where[oi] = -1
	s.bySlot[si] = slices.DeleteFunc(s.bySlot[si], func(x int) bool { return x == oi })
}

// free reports whether offer oi can join slot si as it is: a room left,
// its presenter neither busy with a locked round nor presenting another
// offer there.
func (s *solver) free(oi, si int, except int) bool {
	n := len(s.bySlot[si])
	if except >= 0 && s.where[except] == si {
		n--
	}
	if n >= s.cap[si] || s.busy[si][s.offers[oi].inst] {
		return false
	}
	for _, other := range s.bySlot[si] {
		if other != except && s.offers[other].inst == s.offers[oi].inst {
			return false
		}
	}
	return true
}

// value is the weight slot si serves with the offers set (sorted): each
// institution neither presenting nor busy attends the round it wants
// most.
func (s *solver) value(si int, set []int) int {
	key := make([]byte, 0, 4*len(set))
	for _, oi := range set {
		key = append(key, byte(oi), byte(oi>>8), byte(oi>>16), byte(oi>>24))
	}
	k := slotKey{slot: si, set: string(key)}
	if v, ok := s.memo[k]; ok {
		return v
	}
	for _, oi := range set {
		s.seen[s.offers[oi].inst] = true
	}
	for _, oi := range set {
		for _, d := range s.offers[oi].interests {
			if !s.seen[d.inst] && !s.busy[si][d.inst] && d.weight > s.best[d.inst] {
				s.best[d.inst] = d.weight
			}
		}
	}
	v := 0
	for _, oi := range set {
		s.seen[s.offers[oi].inst] = false
		for _, d := range s.offers[oi].interests {
			v += s.best[d.inst]
			s.best[d.inst] = 0
		}
	}
	s.memo[k] = v
	return v
}

func (s *solver) total() int {
	v := 0
	for si, set := range s.bySlot {
		v += s.value(si, set)
	}
	return v
}

// with returns the slot's set with oi added and drop removed.
func with(set []int, add, drop int) []int {
	out := make([]int, 0, len(set)+1)
	for _, x := range set {
		if x != drop {
			out = append(out, x)
		}
	}
	if add >= 0 {
		out = append(out, add)
		slices.Sort(out)
	}
	return out
}

// gain is what moving offer oi from its slot to slot to (-1: out of the
// plan) adds to the total.
func (s *solver) gain(oi, to int) int {
	from := s.where[oi]
	g := 0
	if from >= 0 {
		g += s.value(from, with(s.bySlot[from], -1, oi)) - s.value(from, s.bySlot[from])
	}
	if to >= 0 {
		g += s.value(to, with(s.bySlot[to], oi, -1)) - s.value(to, s.bySlot[to])
	}
	return g
}

func (s *solver) movable() []int {
	var out []int
	for oi := range s.offers {
		if s.locked[oi] < 0 {
			out = append(out, oi)
		}
	}
	return out
}

// firstFit is the simplest greedy: each offer, in id order, goes to the
// first slot with a room where its presenter is not yet expected, and
// every interested institution still free there attends. The plan is
// never worse than this, since it is one of the starts.
func (s *solver) firstFit() {
	expected := make([][]bool, len(s.p.Slots))
	for si := range expected {
		expected[si] = slices.Clone(s.busy[si])
	}
	for _, oi := range s.movable() {
		o := s.offers[oi]
		if o.total == 0 {
			continue
		}
		for si := range s.p.Slots {
			if len(s.bySlot[si]) < s.cap[si] && !expected[si][o.inst] {
				s.place(oi, si)
				expected[si][o.inst] = true
				for _, d := range o.interests {
					expected[si][d.inst] = true
				}
				break
			}
		}
	}
}

// bestGain puts the most wanted offers first, each where it adds most.
func (s *solver) bestGain() {
	order := s.movable()
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.offers[b].total, s.offers[a].total) })
	for _, oi := range order {
		bestSlot, bestGain := -1, 0
		for si := range s.p.Slots {
			if s.free(oi, si, -1) {
				if g := s.gain(oi, si); g > bestGain {
					bestSlot, bestGain = si, g
				}
			}
		}
		if bestSlot >= 0 {
			s.place(oi, bestSlot)
		}
	}
}

// improve moves one offer (to another slot or out of the plan) or swaps
// two offers' slots whenever that serves more, until nothing does.
func (s *solver) improve() {
	offers := s.movable()
	for pass := 0; pass < maxPasses; pass++ {
		improved := false
		for _, oi := range offers {
			bestTo, bestGain := s.where[oi], 0
			if s.where[oi] >= 0 {
				if g := s.gain(oi, -1); g > bestGain {
					bestTo, bestGain = -1, g
				}
			}
			for si := range s.p.Slots {
				if si != s.where[oi] && s.free(oi, si, oi) {
					if g := s.gain(oi, si); g > bestGain {
						bestTo, bestGain = si, g
					}
				}
			}
			if bestTo != s.where[oi] {
				if s.where[oi] >= 0 {
					s.unplace(oi)
				}
				if bestTo >= 0 {
					s.place(oi, bestTo)
				}
				improved = true
			}
		}
		for i, a := range offers {
			for _, b := range offers[i+1:] {
				if s.trySwap(a, b) {
					improved = true
				}
			}
		}
		if !improved {
			return
		}
	}
}

// trySwap exchanges the slots of offers a and b (one of them may be out
// of the plan) when both fit and the total grows.
func (s *solver) trySwap(a, b int) bool {
	sa, sb := s.where[a], s.where[b]
	if sa == sb {
		return false
	}
	fits := func(oi, si, leaving int) bool {
		if si < 0 {
			return true
		}
		if s.busy[si][s.offers[oi].inst] {
			return false
		}
		for _, other := range s.bySlot[si] {
			if other != leaving && s.offers[other].inst == s.offers[oi].inst {
				return false
			}
		}
		return true
	}
	if !fits(a, sb, b) || !fits(b, sa, a) {
		return false
	}
	before, after := 0, 0
	if sa >= 0 {
		before += s.value(sa, s.bySlot[sa])
		after += s.value(sa, with(s.bySlot[sa], b, a))
	}
	if sb >= 0 {
		before += s.value(sb, s.bySlot[sb])
		after += s.value(sb, with(s.bySlot[sb], a, b))
	}
	if after <= before {
		return false
	}
	if sa >= 0 {
		s.unplace(a)
	}
	if sb >= 0 {
		s.unplace(b)
	}
	if sb >= 0 {
		s.place(a, sb)
	}
	if sa >= 0 {
		s.place(b, sa)
	}
	return true
}

// plan writes the current assignment as rounds with rooms and
// delegations, and the interests left unserved.
func (s *solver) plan() Plan {
	var out Plan
	ids := make([]int64, s.nInst)
	for id, i := range s.inst {
		ids[i] = id
	}
	attends := map[[2]int]bool{} // offer, institution
	for si, set := range s.bySlot {
		// Each free institution attends the round it wants most; the
		// lower offer id on a tie.
		choice := make(map[int]int, s.nInst)
		presenting := map[int]bool{}
		for _, oi := range set {
			presenting[s.offers[oi].inst] = true
		}
		for _, oi := range set {
			for _, d := range s.offers[oi].interests {
				if presenting[d.inst] || s.busy[si][d.inst] {
					continue
				}
				if cur, ok := choice[d.inst]; !ok || d.weight > s.weightOf(cur, d.inst) {
					choice[d.inst] = oi
				}
			}
		}
		rounds := slices.Clone(set)
		served := func(oi int) int {
			w := 0
			for _, d := range s.offers[oi].interests {
				if choice[d.inst] == oi && !presenting[d.inst] && !s.busy[si][d.inst] {
					w += d.weight
				}
			}
			return w
		}
		slices.SortStableFunc(rounds, func(a, b int) int { return cmp.Compare(served(b), served(a)) })
		taken := map[int64]bool{}
		for _, l := range s.p.Locked {
			if l.SlotID == s.p.Slots[si] {
				taken[l.RoomID] = true
			}
		}
		room := 0
		for _, oi := range rounds {
			for room < len(s.p.Rooms) && (!s.usable(si, room) || taken[s.p.Rooms[room]]) {
				room++
			}
			if room == len(s.p.Rooms) {
				break // cannot happen: cap counts the rooms left
			}
			pl := Placement{OfferID: s.offers[oi].id, SlotID: s.p.Slots[si], RoomID: s.p.Rooms[room], Institutions: []int64{}}
			room++
			for _, d := range s.offers[oi].interests {
				if c, ok := choice[d.inst]; ok && c == oi && !presenting[d.inst] && !s.busy[si][d.inst] {
					pl.Institutions = append(pl.Institutions, ids[d.inst])
					attends[[2]int{oi, d.inst}] = true
					out.Weight += d.weight
				}
			}
			slices.Sort(pl.Institutions)
			out.Rounds = append(out.Rounds, pl)
		}
	}
	for oi, o := range s.offers {
		if si := s.locked[oi]; si >= 0 {
			l := s.p.Locked[s.lockIx[o.id]]
			l.Locked = true
			l.Institutions = slices.Sorted(slices.Values(l.Institutions))
			if l.Institutions == nil {
				l.Institutions = []int64{}
			}
			in := map[int64]bool{}
			for _, id := range l.Institutions {
				in[id] = true
			}
			for _, d := range o.interests {
				if in[ids[d.inst]] {
					out.Weight += d.weight
				} else {
					out.Unserved = append(out.Unserved, Unserved{OfferID: o.id, Institution: ids[d.inst], Reason: ReasonLocked})
				}
			}
			out.Rounds = append(out.Rounds, l)
			continue
		}
		for _, d := range o.interests {
			switch si := s.where[oi]; {
			case si < 0:
				out.Unserved = append(out.Unserved, Unserved{OfferID: o.id, Institution: ids[d.inst], Reason: ReasonNotScheduled})
			case attends[[2]int{oi, d.inst}]:
			case s.presents(si, d.inst):
				out.Unserved = append(out.Unserved, Unserved{OfferID: o.id, Institution: ids[d.inst], Reason: ReasonPresenting})
			default:
				out.Unserved = append(out.Unserved, Unserved{OfferID: o.id, Institution: ids[d.inst], Reason: ReasonBusy})
			}
		}
	}
	slotOrder := make(map[int64]int, len(s.p.Slots))
	for i, id := range s.p.Slots {
		slotOrder[id] = i
	}
	roomOrder := make(map[int64]int, len(s.p.Rooms))
	for i, id := range s.p.Rooms {
		roomOrder[id] = i
	}
	slices.SortFunc(out.Rounds, func(a, b Placement) int {
		return cmp.Or(cmp.Compare(slotOrder[a.SlotID], slotOrder[b.SlotID]), cmp.Compare(roomOrder[a.RoomID], roomOrder[b.RoomID]))
	})
	slices.SortFunc(out.Unserved, func(a, b Unserved) int {
		return cmp.Or(cmp.Compare(a.OfferID, b.OfferID), cmp.Compare(a.Institution, b.Institution))
	})
	return out
}

// presents reports whether institution inst presents an offer in slot
// si, in a round of the plan or a locked one.
func (s *solver) presents(si, inst int) bool {
	for oi, o := range s.offers {
		if o.inst == inst && (s.where[oi] == si || s.locked[oi] == si) {
			return true
		}
	}
	return false
}

func (s *solver) weightOf(oi, inst int) int {
	for _, d := range s.offers[oi].interests {
		if d.inst == inst {
			return d.weight
		}
	}
	return 0
}
